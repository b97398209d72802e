// Stage: the FROM-scratch image, in two steps around the smoke run (src/verify): layOutImage turns the
// executable's ELF closure (read from headers, never ldd) into a rootfs of layers — system (loader,
// libraries, /etc, /tmp) and app; writeImage packs those layers into one archive that docker load,
// podman load and skopeo all accept.
import { join } from 'node:path';
import type { ResolvedConfig } from '../config.ts';
import type { Logger } from '../log.ts';
import { untimed, type Timings } from '../timings.ts';
import type { SeaExecutable } from '../sea/index.ts';
import { readElfFile, type Machine } from '../elf/index.ts';
import { resolveClosure, type Closure } from './closure.ts';
import { layoutRootfs } from './rootfs.ts';
import { describeLibraries, type LibraryFacts } from './libraries.ts';
import { createLayer, type Layer } from './layer.ts';
import { appendLayers, emptyImage, withConfig, type Image, type RuntimeConfig } from './image.ts';
import { writeImageArchive, type ImageArchive } from './archive.ts';
import { writeDockerContext } from './context.ts';
import type { OutputWriter } from '../staged-outputs.ts';
import type { PushResult } from './push.ts';
import { splitAppEntries, splitRuntimeConfig, SPLIT_NODE_PATH, type SplitApp } from './split.ts';
import type { Rootfs, RootfsEntry } from '../rootfs/index.ts';
import type { Target } from '../platform/index.ts';

export type { Image } from './image.ts';
export type { ImageArchive } from './archive.ts';
export type { Closure } from './closure.ts';

/** The slice of the config the image stage reads (with an image configured). */
export type ImageSettings = Pick<ResolvedConfig, 'artifactName' | 'cacheDir' | 'commit' | 'context' | 'mode' | 'name' | 'outDir' | 'packageName' | 'port' | 'repository' | 'sourceDateEpoch' | 'version'> & { image: NonNullable<ResolvedConfig['image']> };

/** What layOutImage made: the image's files and what they came from; the smoke run runs them and writeImage packs them. */
export interface ImageRootfs {
  machine: Machine;
  /** The executable the image holds (the standalone one, or with native addons the image's own). */
  executable: SeaExecutable;
  closure: Closure;
  /** Each library's sha256, and the image's system libraries with their Debian packages. */
  libraries: LibraryFacts;
  rootfs: Rootfs;
  /** The image config's entrypoint, user, environment, labels (the smoke run boots with its env and user). */
  runtime: RuntimeConfig;
  /** image.layout "split": node and the app as files, no single executable. */
  split: boolean;
  /** The dpkg database that owns the system libraries (another platform's sysroot); default the host's. */
  dpkgDir?: string;
}

/** The image and everything that went into it. */
export interface ImageBuild extends ImageRootfs {
  layers: Layer[];
  image: Image;
  archive: ImageArchive;
  /** Set when the build pushed the image (--push). */
  push?: PushResult;
}

export interface ImageInput {
  config: ImageSettings;
  executable: SeaExecutable;
  /** More app files (e.g. native addons laid out in place) and the ELF files among them. */
  extraAppFiles?: RootfsEntry[];
  extraElfFiles?: string[];
  /** With image.layout "split": the bundle and assets that become the app layer. */
  split?: SplitApp;
  logger: Logger;
  /** Records the closure as `image: closure`. */
  timings?: Timings;
  /** The platform being built, when it is not the build machine's (its sysroot). */
  target?: Pick<Target, 'sysroot'>;
}

/** Resolves the closure of `executable` and lays out the image's rootfs. */
export async function layOutImage(input: ImageInput): Promise<ImageRootfs> {
  const { config, executable, logger, timings = untimed } = input;
  const split = config.image.layout === 'split' ? input.split : undefined;
  // Split: the image holds the stripped node itself (no blob injected) and the app beside it as files.
  const mainPath = split ? executable.node.strippedPath : executable.path;
  const machine = (await readElfFile(mainPath)).machine;
  const sysroot = input.target?.sysroot;
  const closure = await timings.time('image: closure', () => resolveClosure([mainPath, ...(input.extraElfFiles ?? [])], { machine, ...(sysroot ? { sysroot: sysroot.dir } : {}) }));
  logger.debug(`closure: ${closure.libraries.map((l) => l.soname).join(', ')}`);
  // Split: the laid-out package tree (addons, libvips) changes only with the dependencies: a layer of its own.
  const extraAppFiles = split ? splitAppEntries(split, config.image.appPath) : [...(input.extraAppFiles ?? [])];
  const rootfs = layoutRootfs({
    executablePath: mainPath,
    appPath: split ? SPLIT_NODE_PATH : config.image.appPath,
    libraries: closure.libraries.filter((library) => library.system),
    symlinks: closure.symlinks,
    ...(closure.interpreter ? { interpreter: closure.interpreter } : {}),
    extraAppFiles,
    executableInOwnLayer: Boolean(split),
    ...(split ? { packageFiles: input.extraAppFiles ?? [] } : {}),
  });
  const libraries = await timings.time('image: libraries', () => describeLibraries(closure, sysroot?.dpkgDir));
  return { machine, executable, closure, libraries, rootfs, runtime: imageRuntimeConfig(config), split: Boolean(split), ...(sysroot ? { dpkgDir: sysroot.dpkgDir } : {}) };
}

export interface WriteImageInput {
  config: ImageInput['config'];
  rootfs: ImageRootfs;
  workDir: string;
  /** Records each layer and the archive as `image: …`. */
  timings?: Timings;
  /** Where the archive and the --context folder go: staged until the build publishes all its outputs (default: at once). */
  outputs?: OutputWriter;
}

/** Packs the laid-out rootfs into layers and writes the image archive (and the --context folder). */
export async function writeImage(input: WriteImageInput): Promise<ImageBuild> {
  const { config, rootfs: laidOut, timings = untimed } = input;
  const { rootfs, machine, runtime } = laidOut;
  const layers: Layer[] = [];
  for (const layer of rootfs.layers) {
    layers.push(await timings.time(`image: ${layer.name} layer`, () => createLayer(layer.entries, { compression: config.image.compression, sourceDateEpoch: config.sourceDateEpoch, workDir: join(input.workDir, 'layers'), blockCacheDir: join(config.cacheDir, 'blocks', `${config.name}-${layer.name}`) })));
  }
  const image = withConfig(
    appendLayers(emptyImage({ machine, sourceDateEpoch: config.sourceDateEpoch }), layers, rootfs.layers.map((l) => ({ createdBy: `seabuild: ${l.name} layer`, comment: `${l.entries.length} entries` }))),
    runtime,
  );
  const archive = await timings.time('image: archive', () => writeImageArchive(image, join(config.outDir, `${config.artifactName ?? config.name}.image.tar`), { references: [config.image.reference], ...(input.outputs ? { outputs: input.outputs } : {}) }));
  if (config.context) await writeDockerContext({ dir: config.context, rootfs, config: runtime, ...(input.outputs ? { outputs: input.outputs } : {}) });
  return { ...laidOut, layers, image, archive };
}

/** Entrypoint, user, ports, env, labels, stop signal and healthcheck from the resolved config. */
export function imageRuntimeConfig(config: ImageInput['config']) {
  const created = new Date(config.sourceDateEpoch * 1000).toISOString();
  const service = config.mode === 'service';
  const split = config.image.layout === 'split' ? splitRuntimeConfig(config.image.appPath) : undefined;
  return {
    entrypoint: split?.entrypoint ?? [config.image.appPath],
    // A command-line program gets its arguments from `docker run IMAGE ARGS`; a service serves by default.
    ...(service ? { cmd: ['serve'] } : {}),
    user: '65532:65532',
    // The PATH docker gives every image without one (and distroless sets): same config from Dockerfile.scratch.
    env: { PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', ...(service ? { PORT: String(config.port) } : {}), ...split?.env, ...config.image.env },
    exposedPorts: service ? config.image.ports : [],
    labels: {
      'org.opencontainers.image.title': config.packageName,
      'org.opencontainers.image.version': config.version,
      'org.opencontainers.image.created': created,
      ...(config.commit ? { 'org.opencontainers.image.revision': config.commit } : {}),
      ...(config.repository ? { 'org.opencontainers.image.source': config.repository } : {}),
    },
    stopSignal: 'SIGTERM',
    ...(service ? { healthcheck: { test: split?.healthcheck ?? ['CMD', config.image.appPath, 'healthcheck'], intervalMs: 30_000, timeoutMs: 5_000, startPeriodMs: 5_000, retries: 3 } } : {}),
  };
}
