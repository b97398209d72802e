// The tree for another platform than the build machine's (issue 12): the same collection as the
// build machine's, for the target's machine, with the target's platform packages (sharp's
// @img/sharp-linux-arm64 and its libvips, esbuild's @esbuild/linux-arm64) installed by npm for that
// platform, and prebuilds/ folders searched for its addons. No file of the build machine's platform
// packages is carried; a package whose addon exists only for this machine fails the build, named.
import type { ResolvedConfig } from '../../config.ts';
import type { TreeSettings } from './build-step.ts';
import type { Bundle } from '../../bundle/index.ts';
import type { Logger } from '../../log.ts';
import type { Warning } from '../../errors.ts';
import type { TargetPlatform } from '../../platform/platforms.ts';
import { collectTree } from './build-step.ts';
import { checkTargetAddons, planPlatformPackages } from './platform-plan.ts';
import { installPlatformPackages, type PlatformPackages } from './platform-packages.ts';
import type { PackageFiles } from './types.ts';
import { mkdir } from 'node:fs/promises';
import { withTreeLayout, type Embedded } from '../index.ts';

/** The tree of `bundled` for `platform`, given the build machine's tree `hostFiles`. */
/** The slice of the config a platform's tree reads: the tree's, and seabuild's cache for the platform packages. */
export type TargetTreeSettings = TreeSettings & Pick<ResolvedConfig, 'cacheDir'>;

export async function collectTargetTree(config: TargetTreeSettings, bundled: Bundle, hostFiles: PackageFiles, platform: TargetPlatform, logger: Logger): Promise<{ files: PackageFiles; warnings: Warning[]; platformPackages?: PlatformPackages }> {
  const plan = planPlatformPackages(config.root, hostFiles, platform);
  const installed = await installPlatformPackages(plan, platform, config.cacheDir, config.root, logger);
  if (installed?.cached) logger.info(`${platform.name} packages (cached): ${installed.packages.map((p) => `${p.name}@${p.version}`).join(', ')}`);
  logger.info(`package files for ${platform.name}:`);
  const tree = await collectTree(config, bundled, logger, { platform, ...(installed ? { packagesDir: installed.dir } : {}) });
  checkTargetAddons(config.root, hostFiles, tree.files, platform);
  return { ...tree, ...(installed ? { platformPackages: installed } : {}) };
}

/** `embedded` (the build machine's) with the tree of `platform` in its place; the same value when the tree has no native part. */
export async function embedForPlatform(input: { config: TargetTreeSettings & Pick<ResolvedConfig, 'sourceDateEpoch'>; bundled: Bundle; embedded: Embedded; platform: TargetPlatform; workDir: string; logger: Logger }): Promise<{ embedded: Embedded; warnings: Warning[] }> {
  const { config, embedded, platform } = input;
  const hostFiles = embedded.packageFiles;
  // Without ELF files the tree is the same on every platform (scripts, data, WebAssembly).
  if (!hostFiles || hostFiles.elfFiles.length === 0) return { embedded, warnings: [] };
  const tree = await collectTargetTree(config, input.bundled, hostFiles, platform, input.logger);
  await mkdir(input.workDir, { recursive: true });
  const seaAssets = await withTreeLayout({ ...embedded, packageFiles: tree.files }, { mode: 'embedded' }, config, input.workDir);
  return { embedded: { ...embedded, packageFiles: tree.files, seaAssets }, warnings: tree.warnings };
}
