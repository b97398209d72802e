// Stage: the FROM-scratch image. The executable's ELF closure (read from headers, never ldd) becomes a
// rootfs of two layers — system (loader, libraries, /etc, /tmp) and app — which is smoke-run in a
// chroot, then written as one archive that docker load, podman load and skopeo all accept.
import { join } from 'node:path';
import type { ResolvedConfig } from '../config.ts';
import type { Logger } from '../log.ts';
import { untimed, type Timings } from '../timings.ts';
import type { SeaExecutable } from '../sea/index.ts';
import { verifyRootfs, type Verification } from '../verify/index.ts';
import { readElfFile } from './elf.ts';
import { resolveClosure, type Closure } from './closure.ts';
import { layoutRootfs } from './rootfs.ts';
import { writeRootfsToDir } from './rootfs-dir.ts';
import { createLayer, type Layer } from './layer.ts';
import { appendLayers, emptyImage, withConfig, type Image } from './image.ts';
import { writeImageArchive, type ImageArchive } from './archive.ts';
import { writeDockerContext } from './context.ts';
import type { PushResult } from './push.ts';
import { splitAppEntries, splitRuntimeConfig, SPLIT_NODE_PATH, type SplitApp } from './split.ts';
import type { Machine, Rootfs, RootfsEntry } from './types.ts';

export type { Image } from './image.ts';
export type { ImageArchive } from './archive.ts';
export type { Closure } from './closure.ts';

/** The image and everything that went into it. */
export interface ImageBuild {
  machine: Machine;
  closure: Closure;
  rootfs: Rootfs;
  layers: Layer[];
  image: Image;
  archive: ImageArchive;
  verification?: Verification;
  /** Set when the build pushed the image (--push). */
  push?: PushResult;
}

export interface ImageInput {
  config: ResolvedConfig & { image: NonNullable<ResolvedConfig['image']> };
  executable: SeaExecutable;
  /** More app files (e.g. native addons laid out in place) and the ELF files among them. */
  extraAppFiles?: RootfsEntry[];
  extraElfFiles?: string[];
  /** With image.layout "split": the bundle and assets that become the app layer. */
  split?: SplitApp;
  /** The entry calls runApp(): the smoke run also runs its selftest. */
  runApp: boolean;
  workDir: string;
  logger: Logger;
  /** Records closure, smoke run, layers and archive as `image: …`. */
  timings?: Timings;
}

/** Builds, verifies and writes the image of `executable`. */
export async function buildImage(input: ImageInput): Promise<ImageBuild> {
  const { config, executable, logger, timings = untimed } = input;
  const split = config.image.layout === 'split' ? input.split : undefined;
  // Split: the image holds the stripped node itself (no blob injected) and the app beside it as files.
  const mainPath = split ? executable.node.strippedPath : executable.path;
  const machine = (await readElfFile(mainPath)).machine;
  const closure = await timings.time('image: closure', () => resolveClosure([mainPath, ...(input.extraElfFiles ?? [])], { machine }));
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
  const rootfsDir = join(input.workDir, 'rootfs');
  let verification: Verification | undefined;
  const verify = config.verify;
  if (split && verify) logger.info('smoke run skipped: the split layout has no single executable to run (image.layout "split")');
  if (verify && !split) {
    await timings.time('image: rootfs folder', () => writeRootfsToDir(rootfs, rootfsDir));
    const commands = ['version --json', 'load-addons', ...(input.runApp ? ['selftest'] : [])];
    const boot = config.mode === 'service' && verify.boot;
    logger.info(`smoke run inside the image rootfs: ${commands.map((c) => c.split(' ')[0]).join(', ')}${boot ? `, then serve on PORT=${config.port} until SIGTERM` : ''}`);
    const runtime = imageRuntimeConfig(config);
    verification = await timings.time('image: smoke run', () => verifyRootfs({
      rootfsDir, appPath: config.image.appPath, commands, subject: executable.path,
      ...(boot ? { boot: { env: { ...runtime.env, ...verify.env }, args: verify.args, port: config.port, timeoutMs: verify.timeoutMs, graceMs: 10_000, user: runtime.user } } : {}),
    }));
  }
  const layers: Layer[] = [];
  for (const layer of rootfs.layers) {
    layers.push(await timings.time(`image: ${layer.name} layer`, () => createLayer(layer.entries, { compression: config.image.compression, sourceDateEpoch: config.sourceDateEpoch, workDir: join(input.workDir, 'layers'), blockCacheDir: join(config.cacheDir, 'blocks', `${config.name}-${layer.name}`) })));
  }
  const image = withConfig(
    appendLayers(emptyImage({ machine, sourceDateEpoch: config.sourceDateEpoch }), layers, rootfs.layers.map((l) => ({ createdBy: `seabuild: ${l.name} layer`, comment: `${l.entries.length} entries` }))),
    imageRuntimeConfig(config),
  );
  const archive = await timings.time('image: archive', () => writeImageArchive(image, join(config.outDir, `${config.name}.image.tar`), { references: [config.image.reference] }));
  if (config.context) await writeDockerContext({ dir: config.context, rootfs, config: imageRuntimeConfig(config) });
  return { machine, closure, rootfs, layers, image, archive, ...(verification ? { verification } : {}) };
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
