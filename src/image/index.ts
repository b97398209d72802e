// Stage: the FROM-scratch image. The executable's ELF closure (read from headers, never ldd) becomes a
// rootfs of two layers — system (loader, libraries, /etc, /tmp) and app — which is smoke-run in a
// chroot, then written as one archive that docker load, podman load and skopeo all accept.
import { basename, join } from 'node:path';
import type { ResolvedConfig } from '../config.ts';
import type { Logger } from '../log.ts';
import { untimed, type Timings } from '../timings.ts';
import type { SeaExecutable } from '../sea/index.ts';
import { verifyRootfs, type Verification } from '../verify/index.ts';
import { readElfFile, type Machine } from '../elf/index.ts';
import { resolveClosure, type Closure } from './closure.ts';
import { layoutRootfs } from './rootfs.ts';
import { writeRootfsToDir } from './rootfs-dir.ts';
import { createLayer, type Layer } from './layer.ts';
import { appendLayers, emptyImage, withConfig, type Image } from './image.ts';
import { writeImageArchive, type ImageArchive } from './archive.ts';
import { writeDockerContext } from './context.ts';
import type { PushResult } from './push.ts';
import { splitAppEntries, splitRuntimeConfig, SPLIT_NODE_PATH, type SplitApp } from './split.ts';
import type { Rootfs, RootfsEntry } from './types.ts';
import type { Warning } from '../errors.ts';
import type { Target } from '../platform/index.ts';

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
  /** The dpkg database that owns the system libraries (another platform's sysroot); default the host's. */
  dpkgDir?: string;
  /** Why the smoke run did not run (another machine and no emulator here). */
  verificationSkipped?: Warning;
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
  /** The platform being built, when it is not the build machine's (its sysroot and emulator). */
  target?: Pick<Target, 'platform' | 'sysroot' | 'emulator'>;
}

/** How much longer a boot may take under qemu-user when the config sets no timeout (measured: node starts ~1.2 s under qemu, ~0.05 s natively). */
const EMULATED_BOOT_FACTOR = 3;

/** Builds, verifies and writes the image of `executable`. */
export async function buildImage(input: ImageInput): Promise<ImageBuild> {
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
  const rootfsDir = join(input.workDir, 'rootfs');
  let verification: Verification | undefined;
  if (split && config.verify) logger.info('smoke run skipped: the split layout has no single executable to run (image.layout "split")');
  const skipped = input.target && !input.target.emulator && config.verify ? noEmulator(input.target.platform, executable.path) : undefined;
  if (config.verify && !split && !skipped) {
    await timings.time('image: rootfs folder', () => writeRootfsToDir(rootfs, rootfsDir));
    const commands = ['version --json', 'load-addons', ...(input.runApp ? ['selftest'] : [])];
    const boot = config.mode === 'service' && config.verify.boot;
    const emulator = input.target?.emulator;
    const timeoutMs = emulator && !config.verify.timeoutSet ? config.verify.timeoutMs * EMULATED_BOOT_FACTOR : config.verify.timeoutMs;
    logger.info(`smoke run inside the ${input.target?.platform.name ?? 'image'} rootfs${emulator ? ` (emulated: ${basename(emulator)})` : ''}: ${commands.map((c) => c.split(' ')[0]).join(', ')}${boot ? `, then serve on PORT=${config.port} until SIGTERM` : ''}`);
    const runtime = imageRuntimeConfig(config);
    const settings = config.verify;
    verification = await timings.time('image: smoke run', () => verifyRootfs({
      rootfsDir, appPath: config.image.appPath, commands, subject: executable.path, ...(emulator ? { emulator } : {}),
      ...(boot ? { boot: { env: { ...runtime.env, ...settings.env }, args: settings.args, port: config.port, timeoutMs, graceMs: 10_000, user: runtime.user } } : {}),
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
  const archive = await timings.time('image: archive', () => writeImageArchive(image, join(config.outDir, `${config.artifactName ?? config.name}.image.tar`), { references: [config.image.reference] }));
  if (config.context) await writeDockerContext({ dir: config.context, rootfs, config: imageRuntimeConfig(config) });
  return { machine, closure, rootfs, layers, image, archive, ...(verification ? { verification } : {}), ...(sysroot ? { dpkgDir: sysroot.dpkgDir } : {}), ...(skipped ? { verificationSkipped: skipped } : {}) };
}

/** No qemu-user for another machine's smoke run: a warning (an explicit verify failed earlier, in src/platform). */
function noEmulator(platform: Target['platform'], subject: string): Warning {
  const why = `${platform.qemu} is not on the PATH, and this machine cannot run ${platform.machine} programs itself`;
  const fix = `install qemu-user-static (apt-get install qemu-user-static) to smoke-run ${platform.name} builds here, or pass --verify to make this an error`;
  return { code: 'VERIFY_SKIPPED_NO_EMULATOR', message: `the ${platform.name} smoke run was skipped: ${why}`, file: subject, fix };
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
