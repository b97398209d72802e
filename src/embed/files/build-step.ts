// The tree's step in `build()`: collect the package files for the target machine and say what was
// added and why (issue 7: "the build prints what it added and why").
import { relative } from 'node:path';
import type { ResolvedConfig } from '../../config.ts';
import type { Bundle } from '../../bundle/index.ts';
import type { Logger } from '../../log.ts';
import type { Warning } from '../../errors.ts';
import { hostMachine, readElfFile, type Machine } from '../../elf/index.ts';
import { collectPackageFiles, type CollectInput } from './collect.ts';
import { alignAddonAbi } from './abi.ts';
import { describePackageFiles } from './index.ts';
import type { PackageFiles } from './types.ts';
import { untracedListing, untracedNamed } from '../../trace-files/listing.ts';

/** The machine of the node binary; the host's when it is not readable (buildSea reports that error with its own words). */
export async function targetMachine(nodeBinary: string): Promise<Machine> {
  try {
    return (await readElfFile(nodeBinary)).machine;
  } catch {
    return hostMachine();
  }
}

/** The slice of the config the tree's collection reads. */
export type TreeSettings = Pick<ResolvedConfig, 'root' | 'include' | 'exclude' | 'external' | 'nodeBinary'>;

/** Collects the tree of `bundled` for the machine of `config.nodeBinary` (or another `platform`'s), logging one line per package. */
export async function collectTree(config: TreeSettings, bundled: Bundle, logger: Logger, platform?: CollectInput['platform']): Promise<{ files: PackageFiles; warnings: Warning[] }> {
  const machine = platform ? platform.platform.machine : await targetMachine(config.nodeBinary);
  const result = await collectPackageFiles({ root: config.root, tree: bundled.tree, metafile: bundled.metafile, include: config.include, exclude: config.exclude, external: [...config.external, ...(bundled.tree.commandPackages ?? [])], machine, ...(platform ? { platform } : {}) });
  const { compiled, missingPackages } = bundled.tree;
  if (compiled.files.length > 0) logger.info(`  compiled ${compiled.files.length} file${compiled.files.length === 1 ? '' : 's'} with ${compiled.compiler} for emitDecoratorMetadata (esbuild emits no decorator metadata): ${compiled.files.slice(0, 3).join(', ')}${compiled.files.length > 3 ? ', …' : ''}`);
  for (const m of [...missingPackages].sort((a, b) => (a.name < b.name ? -1 : 1))) {
    logger.info(m.kind === 'file'
      ? `  not in its package: ${m.name} (required by ${relative(config.root, m.from)}); it fails when loaded, as under node`
      : `  not installed: ${m.name} (imported by ${relative(config.root, m.from)}); it fails when loaded, as under node`);
  }
  for (const line of describePackageFiles(result.files)) logger.info(`  embeds ${line}`);
  const traced = bundled.tree.traced;
  if (traced) {
    logger.info(`  tree mode: the app is not bundled; ${traced.files.length} files traced by @vercel/nft${traced.outputDir ? ` and the build output ${relative(config.root, traced.outputDir) || '.'}` : ''}`);
    // What no import names is listed, so that a file carried only because it lies in the output can be told apart.
    for (const line of untracedListing(traced.untraced)) logger.info(`  ${line}`);
    for (const rel of traced.untraced.slice(untracedNamed)) logger.debug(`  carried from the build output, not reached by the tracer: ${rel}`);
  }
  return { files: await alignAddonAbi(result.files, config.nodeBinary, config.root, logger, machine), warnings: result.warnings };
}
