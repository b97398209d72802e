// `build(options)`: config → bundle → embed → sea → image (rootfs, verify, archive) → report.
// Returns data, like esbuild's build(): the CLI and the report read the result, nothing is printed here.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveConfig, type ResolvedConfig } from './config.ts';
import { bundle, type Bundle } from './bundle/index.ts';
import { embed, type Embedded } from './embed/index.ts';
import { collectTree } from './embed/files/build-step.ts';
import { prepareImageTree } from './embed/files/image-variant.ts';
import { buildSea, prepareNode, type SeaExecutable } from './sea/index.ts';
import { prepareTargets, type Target } from './platform/index.ts';
import { checkTreeMachine } from './platform/tree-machine.ts';
import { buildImage, type ImageBuild } from './image/index.ts';
import { pushImage } from './image/push.ts';
import { writeIndexArchive, type IndexArchive } from './image/index-archive.ts';
import { pushImageIndex, type IndexPushResult } from './image/push-index.ts';
import { writeBuildReport, type SizeReport } from './report/index.ts';
import { silentLogger, type Logger } from './log.ts';
import type { Warning } from './errors.ts';
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

/** What one platform of the build produced. */
export interface PlatformBuild {
  target: Target;
  executable: SeaExecutable;
  image?: ImageBuild;
  report: SizeReport;
  previousReport?: SizeReport;
}

/** Everything a build produced and what went into it; the top-level fields are the first platform's. */
export interface BuildResult {
  /** Every platform, in the order of config.platforms. */
  platforms: PlatformBuild[];
  /** With several platforms and an image: the archive of their index (`dist/<name>.image.tar`), and its push. */
  index?: { archive: IndexArchive; push?: IndexPushResult };
  config: ResolvedConfig;
  bundle: Bundle;
  embedded: Embedded;
  executable: SeaExecutable;
  /** Absent with `image: false`. */
  image?: ImageBuild;
  /** The size report, also written to `<outDir>/<name>.report.json`. */
  report: SizeReport;
  /** The report that file held before this build, if any (read before it was overwritten). */
  previousReport?: SizeReport;
  warnings: Warning[];
}

/** The index archive of every platform's image; docker load gets the build machine's (or the first). */
async function writeIndex(config: ResolvedConfig & { image: NonNullable<ResolvedConfig['image']> }, platforms: PlatformBuild[], logger: Logger): Promise<NonNullable<BuildResult['index']>> {
  const images = platforms.map((p) => p.image!.image);
  const docker = platforms.find((p) => p.target.host) ?? platforms[0]!;
  const archive = await writeIndexArchive(images, join(config.outDir, `${config.name}.image.tar`), { references: [config.image.reference], dockerImage: docker.image!.image });
  if (!config.push) return { archive };
  logger.info(`pushing ${config.image.reference} (${platforms.length} platforms and their index)`);
  return { archive, push: await pushImageIndex(images, config.image.reference, { ...config.push, logger }) };
}

/** Builds the app into one executable. */
export async function build(options: BuildOptions = {}): Promise<BuildResult> {
  const { cwd = process.cwd(), config: configFile, env = process.env, logger = silentLogger, keepWorkDir = false, ...flags } = options;
  const config = await resolveConfig({ cwd, flags, env, ...(configFile ? { configFile } : {}) });
  const workDir = await mkdtemp(join(tmpdir(), 'seabuild-'));
  try {
    logger.info(`bundling ${config.entry}`);
    const bundled = await bundle(config, workDir);
    const tree = await collectTree(config, bundled, logger);
    const embedded = await embed(config, workDir, { files: tree.files, layout: { mode: 'embedded' } }, bundled.launch);
    logger.info(`building the executable with node at ${config.nodeBinary}`);
    // Inspected and stripped once: the image's executable variant reuses it; it also makes every other platform's blob.
    const node = await prepareNode(config.nodeBinary, config.cacheDir, logger);
    const targets = await prepareTargets(config, node, logger);
    const platforms: PlatformBuild[] = [];
    const warnings: Warning[] = [...bundled.warnings, ...tree.warnings];
    for (const target of targets) {
      if (!target.host) await checkTreeMachine(embedded, target.platform);
      const platformConfig = { ...config, artifactName: target.artifactName };
      const platformDir = join(workDir, target.platform.suffix);
      const executable = await buildSea({
        node: target.node,
        bundlePath: bundled.path,
        assets: embedded.seaAssets,
        output: join(config.outDir, target.artifactName),
        workDir,
      });
      if (!target.host) logger.info(`built ${target.artifactName} for ${target.platform.name}${target.node.foreign?.runPrefix ? ' (checked under qemu-user)' : ''}`);
      // With native addons, the image gets an executable that loads the tree's files in place (src/embed/files/image-variant.ts).
      const imageTree = config.image ? await prepareImageTree({ config: platformConfig, embedded, bundlePath: bundled.path, standalone: executable, workDir: platformDir, logger }) : undefined;
      const image = config.image && imageTree
        ? await buildImage({
          config: { ...platformConfig, image: config.image }, executable: imageTree.executable, extraAppFiles: imageTree.extraAppFiles, extraElfFiles: imageTree.extraElfFiles, runApp: bundled.launch.runApp, workDir: platformDir, logger,
          ...(target.host ? {} : { target }),
        })
        : undefined;
      if (image && config.push && targets.length === 1) {
        logger.info(`pushing ${config.image!.reference}`);
        image.push = await pushImage(image.image, config.image!.reference, { ...config.push, logger });
      }
      const platformWarnings = image?.verificationSkipped ? [image.verificationSkipped] : [];
      const artifacts = { config: platformConfig, bundle: bundled, embedded, executable, ...(image ? { image } : {}), warnings: [...warnings, ...platformWarnings] };
      const written = await writeBuildReport(artifacts);
      warnings.push(...platformWarnings, ...written.warnings);
      platforms.push({ target, executable, ...(image ? { image } : {}), report: written.report, ...(written.previous ? { previousReport: written.previous } : {}) });
    }
    const index = config.image && platforms.length > 1 ? await writeIndex(config as ResolvedConfig & { image: NonNullable<ResolvedConfig['image']> }, platforms, logger) : undefined;
    const first = platforms[0]!;
    return {
      platforms, ...(index ? { index } : {}), config, bundle: bundled, embedded, executable: first.executable, ...(first.image ? { image: first.image } : {}),
      report: first.report, ...(first.previousReport ? { previousReport: first.previousReport } : {}), warnings: [...new Map(warnings.map((w) => [JSON.stringify(w), w])).values()],
    };
  } finally {
    if (keepWorkDir) logger.info(`work folder kept: ${workDir}`);
    else await rm(workDir, { recursive: true, force: true });
  }
}
