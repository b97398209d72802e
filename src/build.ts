// `build(options)`: config → bundle → embed → sea → image rootfs → verify → image archive → report.
// Returns data, like esbuild's build(): the CLI and the report read the result, nothing is printed here.
import { existsSync } from 'node:fs';
import { chmod, copyFile, link, rm, rmdir } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { resolveConfig, type ResolvedConfig } from './config.ts';
import { bundle, type Bundle } from './bundle/index.ts';
import { embed, type Embedded } from './embed/index.ts';
import { collectTree } from './embed/files/build-step.ts';
import { embedForPlatform } from './embed/files/target-tree.ts';
import { layOutImageTree } from './embed/files/image-variant.ts';
import { buildSea, prepareNode, type SeaExecutable } from './sea/index.ts';
import { prepareTargets, type Target } from './platform/index.ts';
import { checkTreeMachine } from './platform/tree-machine.ts';
import { layOutImage, writeImage, type Image, type ImageBuild } from './image/index.ts';
import { builtBundle, builtEmbedded, builtExecutable, builtImage, builtVerification, type BuiltBundle, type BuiltEmbedded, type BuiltExecutable, type BuiltImage, type BuiltVerification } from './result.ts';
import { verifyImage, type Verification } from './verify/index.ts';
import { publishImage, type Publication } from './image/publish.ts';
import { loadImage, type Loaded } from './image/load.ts';
import { writeSboms, type Sboms } from './sbom/index.ts';
import { SEABUILD_VERSION } from './report/create.ts';
import { writeIndexArchive, type IndexArchive } from './image/index-archive.ts';
import { pushImageIndex, type IndexPushResult } from './image/push-index.ts';
import { writeBuildReport, type SizeReport } from './report/index.ts';
import { silentLogger, type Logger } from './log.ts';
import { createTimings, type StageTiming, type Timings } from './timings.ts';
import { ensureWritableDir } from './fs-atomic.ts';
import { StagedOutputs } from './staged-outputs.ts';
import { cleanUpOnInterrupt, createWorkDir, removeOnInterrupt } from './work-dir.ts';
import type { Warning } from './errors.ts';
import type { Rootfs } from './rootfs/index.ts';
import type { SeabuildOptions } from './options.ts';

export interface BuildOptions extends SeabuildOptions {
  /** The app's folder (its package.json); default: process.cwd(). */
  cwd?: string;
  /** An explicit config file. */
  config?: string;
  /** Environment to read SOURCE_DATE_EPOCH and cache settings from; default: process.env. */
  env?: NodeJS.ProcessEnv;
  logger?: Logger;
  /** Keep the temporary work folder (for debugging). */
  keepWorkDir?: boolean;
}

/** What one platform of the build produced (src/result.ts: only paths that exist after build() returns). */
export interface PlatformBuild {
  target: Target;
  /** What this platform's executable carries: assets, migrations, package files (another platform's tree has its own platform packages and prebuilds). */
  embedded: BuiltEmbedded;
  /** `<outDir>/<name>` (`<name>-linux-arm64`, … with several platforms). */
  executable: BuiltExecutable;
  /** Absent with `image: false`. */
  image?: BuiltImage;
  /** What the smoke run of the image's rootfs proved (absent with --no-verify, the split layout, or when skipped). */
  verification?: BuiltVerification;
  /** Why the smoke run did not run (another machine and no qemu-user here); also in the warnings. */
  verificationSkipped?: Warning;
  /** The size report, also written to `reportPath` (`<outDir>/<name>.report.json`). */
  report: SizeReport;
  reportPath: string;
  /** The report that file held before this build, if any (read before it was overwritten). */
  previousReport?: SizeReport;
}

/** Everything a build produced and what went into it: one shape for one platform or several. */
export interface BuildResult {
  /** Every platform, in the order of config.platforms. */
  platforms: PlatformBuild[];
  /** With several platforms and an image: the archive of their index (`dist/<name>.image.tar`), and its push. */
  index?: { archive: IndexArchive; push?: IndexPushResult };
  config: ResolvedConfig;
  /** The bundle every platform's executable carries. */
  bundle: BuiltBundle;
  /** The SBOMs written beside the image archive (one platform with an image; absent with sbom "none"). */
  sboms?: Sboms;
  /** What --push did (one platform): tags, digest, attached SBOMs. */
  publication?: Publication;
  warnings: Warning[];
  /** With keepWorkDir: the work folder, kept (its sea-config.json names the bundle and the SEA assets). */
  workDir?: string;
  /** Wall time of each stage, in order (`seabuild build --timings` prints them). */
  timings: StageTiming[];
  /** What --load did: the engine that has the image now. */
  loaded?: Loaded;
}

/** The index archive of every platform's image; docker load gets the build machine's (or the first). */
async function writeIndex(config: ResolvedConfig & { image: NonNullable<ResolvedConfig['image']> }, platforms: Array<{ target: Target; image: Image }>, logger: Logger, outputs: StagedOutputs): Promise<NonNullable<BuildResult['index']>> {
  const images = platforms.map((p) => p.image);
  const docker = platforms.find((p) => p.target.host) ?? platforms[0]!;
  const archive = await writeIndexArchive(images, join(config.outDir, `${config.name}.image.tar`), { references: [config.image.reference], dockerImage: docker.image, outputs });
  if (!config.push) return { archive };
  logger.info(`pushing ${config.image.reference} (${platforms.length} platforms and their index)`);
  return { archive, push: await pushImageIndex(images, config.image.reference, { ...config.push, ...pushStore(config), logger }) };
}

/** Builds the app into one executable. */
export async function build(options: BuildOptions = {}): Promise<BuildResult> {
  const { cwd = process.cwd(), config: configFile, env = process.env, logger = silentLogger, keepWorkDir = false, ...flags } = options;
  const timings = createTimings(logger);
  const config = await timings.time('config', () => resolveConfig({ cwd, flags, env, ...(configFile ? { configFile } : {}) }));
  // Fail before minutes of work when the output folder cannot be written; a failed build removes it again if it made it.
  const madeOutDir = !existsSync(config.outDir);
  await ensureWritableDir(config.outDir);
  // Ctrl-C or SIGTERM: the work folder and the staged outputs go (src/work-dir.ts).
  const stopCleanUp = cleanUpOnInterrupt();
  const workDir = await createWorkDir();
  removeOnInterrupt.add(workDir);
  // Every output is written under a temporary name and all are renamed into place at the end (src/staged-outputs.ts).
  const outputs = new StagedOutputs();
  try {
    logger.info(`bundling ${config.entry}`);
    const bundled = await timings.time('bundle', () => bundle(config, workDir));
    const tree = await timings.time('package files', () => collectTree(config, bundled, logger));
    const embedded = await timings.time('embed', () => embed(config, workDir, { files: tree.files, layout: { mode: 'embedded' } }, bundled.launch));
    logger.info(`building the executable with node at ${config.nodeBinary}`);
    // Inspected and stripped once: the image's executable variant reuses it; it also makes every other platform's blob.
    const node = await timings.time('node binary', () => prepareNode(config.nodeBinary, config.cacheDir, logger));
    const targets = await prepareTargets(config, node, logger);
    const platforms: PlatformBuild[] = [];
    const images: Array<{ target: Target; image: Image }> = [];
    const warnings: Warning[] = [...bundled.warnings, ...tree.warnings, ...(embedded.warnings ?? [])];
    let sboms: Sboms | undefined;
    let publication: Publication | undefined;
    for (const target of targets) {
      // Several platforms: a docker build context each (DIR/linux-amd64, DIR/linux-arm64), not one overwritten by the next.
      const context = config.context && targets.length > 1 ? join(config.context, target.platform.suffix) : config.context;
      const platformConfig = { ...config, artifactName: target.artifactName, ...(context ? { context } : {}) };
      const platformDir = join(workDir, target.platform.suffix);
      // Another platform gets its own platform packages and prebuilds in the tree (src/embed/files/target-tree.ts).
      const forPlatform = target.host ? { embedded, warnings: [] } : await timings.time('package files', () => embedForPlatform({ config, bundled, embedded, platform: target.platform, workDir: join(platformDir, 'embed'), logger }));
      const platformEmbedded = forPlatform.embedded;
      warnings.push(...forPlatform.warnings);
      if (!target.host) await checkTreeMachine(platformEmbedded, target.platform);
      // Made in the work folder and published only once the image (and its smoke run) passed: a
      // failing build leaves no new executable at the output path, and the previous one intact.
      const staged = await buildSea({
        node: target.node,
        bundlePath: bundled.path,
        assets: platformEmbedded.seaAssets,
        output: join(platformDir, 'out', target.artifactName),
        workDir,
        codeCache: codeCacheFor(config, target.node),
        timings,
      });
      if (!target.host) logger.info(`built ${target.artifactName} for ${target.platform.name}${target.node.foreign?.runPrefix ? ' (checked under qemu-user)' : ''}`);
      // With native addons, the image gets an executable that loads the tree's files in place (src/embed/files/image-variant.ts).
      const imageTree = config.image ? await imageExecutable(config, platformEmbedded, bundled.path, staged, join(platformDir, 'image-executable'), logger, timings) : undefined;
      const imageConfig = config.image ? { ...platformConfig, image: config.image } : undefined;
      const laidOut = imageConfig && imageTree
        ? await layOutImage({
          config: imageConfig, executable: imageTree.executable, extraAppFiles: imageTree.extraAppFiles, extraElfFiles: imageTree.extraElfFiles,
          split: { bundlePath: bundled.path, assets: imageTree.assets }, logger, timings, ...(target.host ? {} : { target }),
        })
        : undefined;
      // Between the layout and the layers: a failing smoke run leaves no image archive behind.
      const smoke = imageConfig && laidOut
        ? await verifyImage({
          settings: config.verify, rootfs: laidOut.rootfs, appPath: imageConfig.image.appPath, split: laidOut.split, subject: imageTree!.executable.path,
          mode: config.mode, port: config.port, imageEnv: laidOut.runtime.env ?? {}, ...(laidOut.runtime.user ? { imageUser: laidOut.runtime.user } : {}), runApp: bundled.launch.runApp, migrateCommand: 'migrate' in (bundled.launch.commands ?? {}),
          ...(target.host ? {} : { target: { platform: target.platform, ...(target.emulator ? { emulator: target.emulator } : {}) } }),
          workDir: platformDir, logger, timings,
        })
        : {};
      const image = imageConfig && laidOut ? await writeImage({ config: imageConfig, rootfs: laidOut, workDir: platformDir, timings, outputs }) : undefined;
      const executable = await timings.time('executable: publish', () => stageExecutable(staged, join(config.outDir, target.artifactName), outputs));
      if (image && targets.length === 1) {
        // One platform: SBOMs beside the archive, and --push with its tags and SBOM referrers.
        sboms = config.sbom.length > 0 ? await timings.time('sbom', () => writeSboms({ config, bundle: bundled, embedded: platformEmbedded, executable, image, seabuildVersion: SEABUILD_VERSION }, config.sbom, outputs)) : undefined;
        publication = config.push ? await publish(config, image, sboms, logger) : undefined;
        if (publication) { image.push = publication; warnings.push(...publication.warnings); }
      }
      const platformWarnings = smoke.verificationSkipped ? [smoke.verificationSkipped] : [];
      const artifacts = { config: platformConfig, bundle: bundled, embedded: platformEmbedded, executable, ...(image ? { image } : {}), ...(sboms ? { sboms } : {}), ...(publication ? { publication } : {}), warnings: [...warnings, ...platformWarnings] };
      const written = await timings.time('report', () => writeBuildReport(artifacts, outputs));
      warnings.push(...platformWarnings, ...written.warnings);
      // The work folder goes away: the image's file list names the executable's output path instead
      // (only now: the SBOMs read its bytes from the work folder, the output path is published last).
      if (image) {
        image.rootfs = retargetRootfs(image.rootfs, staged.path, executable.path);
        if (image.executable === staged) image.executable = executable;
      }
      if (image) images.push({ target, image: image.image });
      const renamed = new Map([[staged.path, executable.path], ...(image && image.executable !== executable ? [[image.executable.path, imageConfig!.image.appPath] as const] : [])]);
      platforms.push({
        target, embedded: builtEmbedded(platformEmbedded), executable: builtExecutable(executable), ...(image ? { image: builtImage(image, renamed) } : {}),
        ...(smoke.verification ? { verification: builtVerification(smoke.verification) } : {}), ...(smoke.verificationSkipped ? { verificationSkipped: smoke.verificationSkipped } : {}),
        report: written.report, reportPath: written.path, ...(written.previous ? { previousReport: written.previous } : {}),
      });
    }
    const index = config.image && images.length > 1 ? await writeIndex(config as ResolvedConfig & { image: NonNullable<ResolvedConfig['image']> }, images, logger, outputs) : undefined;
    outputs.publish();
    // The archive that docker load or podman load takes: the one platform's, or the index of several.
    const archive = index?.archive ?? platforms[0]?.image?.archive;
    const loaded = config.load && archive ? await timings.time('load', () => loadImage(archive.path, archive.references, config.load!, env)) : undefined;
    return {
      platforms, ...(index ? { index } : {}), config, bundle: builtBundle(bundled),
      ...(sboms ? { sboms } : {}), ...(publication ? { publication } : {}),
      warnings: [...new Map(warnings.map((w) => [JSON.stringify(w), w])).values()],
      ...(keepWorkDir ? { workDir } : {}),
      timings: timings.stages(),
      ...(loaded ? { loaded } : {}),
    };
  } catch (error) {
    if (madeOutDir) await rmdir(config.outDir).catch(() => {}); // only when it is still empty
    throw error;
  } finally {
    outputs.discard();
    stopCleanUp();
    removeOnInterrupt.delete(workDir);
    if (keepWorkDir) logger.info(`work folder kept: ${workDir}`);
    else await rm(workDir, { recursive: true, force: true });
  }
}

/** The image's executable and the tree files it loads in place: the standalone one when the tree holds no ELF file. */
/** The code cache as configured; by default on where the blob is made by the node it runs in (issue 24). */
function codeCacheFor(config: ResolvedConfig, node: { foreign?: unknown }): boolean {
  return config.codeCache ?? !node.foreign;
}

async function imageExecutable(config: ResolvedConfig, embedded: Embedded, bundlePath: string, standalone: SeaExecutable, workDir: string, logger: Logger, timings: Timings) {
  const layout = await layOutImageTree({ embedded, name: config.name, sourceDateEpoch: config.sourceDateEpoch, workDir, logger });
  if (!layout) return { executable: standalone, extraAppFiles: [], extraElfFiles: [], assets: embedded.seaAssets };
  const executable = await buildSea({
    node: standalone.node, bundlePath, assets: layout.assets, output: join(workDir, config.name), workDir, check: false, codeCache: codeCacheFor(config, standalone.node), timings, label: 'image executable',
  });
  return { executable, ...layout };
}

/** Links the executable built in the work folder beside `target`, to be published with the other outputs (a copy when the work folder is on another filesystem). */
async function stageExecutable(staged: SeaExecutable, target: string, outputs: StagedOutputs): Promise<SeaExecutable> {
  await outputs.write(target, async (temp) => {
    try {
      await link(staged.path, temp);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw error;
      await copyFile(staged.path, temp);
      await chmod(temp, 0o755);
    }
  });
  return { ...staged, path: target, stagedPath: staged.path };
}

/** --push: every tag, the SBOMs attached, --image-refs written; an interrupted push resumes from `<outDir>/.<name>.push-state.json`. */
function publish(config: ResolvedConfig, image: ImageBuild, sboms: Sboms | undefined, logger: Logger): Promise<Publication> {
  const { tags } = config.image!;
  const references = tags.map((tag) => `${config.image!.reference.slice(0, config.image!.reference.lastIndexOf(':'))}:${tag}`);
  logger.info(`pushing ${references.join(', ')}`);
  return publishImage({
    image: image.image,
    references,
    push: { ...config.push!, blobRecordPath: pushStore(config).blobRecordPath },
    sboms: (sboms?.documents ?? []).map((doc) => ({ format: doc.format, mediaType: doc.mediaType, bytes: doc.bytes, fileName: basename(doc.path) })),
    created: new Date(config.sourceDateEpoch * 1000).toISOString().replace('.000Z', 'Z'),
    statePath: pushStore(config).statePath,
    ...(config.imageRefs ? { imageRefsPath: config.imageRefs } : {}),
    logger,
  });
}

/**
 * Where a push keeps its unfinished uploads (a rerun resumes them; one image or an index alike) and
 * which repositories of a registry hold which blobs (a push to another repository mounts them).
 */
function pushStore(config: ResolvedConfig): { statePath: string; blobRecordPath: string } {
  return { statePath: join(config.outDir, `.${config.name}.push-state.json`), blobRecordPath: join(config.cacheDir, 'registry-blobs.json') };
}

/** `rootfs` with every file read from `from` read from `to` (same bytes, another path). */
function retargetRootfs(rootfs: Rootfs, from: string, to: string): Rootfs {
  return {
    layers: rootfs.layers.map((layer) => ({
      ...layer,
      entries: layer.entries.map((entry) => (entry.type === 'file' && 'path' in entry.source && entry.source.path === from ? { ...entry, source: { ...entry.source, path: to } } : entry)),
    })),
  };
}
