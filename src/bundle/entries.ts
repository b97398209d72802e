// Scripts a package starts by path (a worker, a forked script) cannot live inside the main bundle:
// each is bundled on its own, with the same plugins and banner, and embedded at its own tree path.
// Bundling them (rather than embedding their raw source) is what lets a worker require() packages
// by name. New entries found while bundling entries are bundled in the next round.
import { build as esbuild, type BuildOptions } from 'esbuild';
import { join } from 'node:path';
import type { TreeScan } from './tree-plugin.ts';
import { treePathOf } from './tree-paths.ts';

/** One separately bundled script. */
export interface BundledEntry {
  /** The original script. */
  source: string;
  /** Its tree path, e.g. `node_modules/thread-stream/lib/worker.js`. */
  treePath: string;
  /** The bundled output on disk (in the work folder). */
  path: string;
}

const maxRounds = 8;

/** Bundles every `entry` reference of `scan` (and those they reveal) with `options` into `workDir/entries`. */
export async function bundleEntries(options: BuildOptions, scan: TreeScan, appRoot: string, workDir: string): Promise<BundledEntry[]> {
  const done = new Map<string, BundledEntry>();
  for (let round = 0; round < maxRounds; round++) {
    const pending = [...new Set(scan.references.filter((r) => r.kind === 'entry' && !done.has(r.path)).map((r) => r.path))]
      .map((source) => ({ source, treePath: treePathOf(source, appRoot) }))
      .filter((e): e is { source: string; treePath: string } => e.treePath !== undefined);
    if (pending.length === 0) break;
    const outdir = join(workDir, 'entries');
    await esbuild({
      ...options,
      entryPoints: pending.map((e) => ({ in: e.source, out: e.treePath.replace(/\.[^./]+$/, '') })),
      outfile: undefined,
      outdir,
      outExtension: { '.js': '.js' },
      metafile: false,
    });
    for (const e of pending) done.set(e.source, { ...e, path: join(outdir, `${e.treePath.replace(/\.[^./]+$/, '')}.js`) });
  }
  return [...done.values()].sort((a, b) => (a.treePath < b.treePath ? -1 : 1));
}
