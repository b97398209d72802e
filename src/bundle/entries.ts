// Scripts a package starts by path (a worker, a forked script) cannot live inside the main bundle:
// each is bundled on its own, with the same plugins and banner, and embedded at its own tree path.
// Bundling them (rather than embedding their raw source) is what lets a worker require() packages
// by name. New entries found while bundling entries are bundled in the next round.
import { build as esbuild, type BuildFailure, type BuildOptions } from 'esbuild';
import { join, resolve } from 'node:path';
import type { TreeScan } from './tree-plugin.ts';
import { treePathOf } from './tree-paths.ts';
import { fixGlobLookup } from './glob-require.ts';

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
    try {
      await esbuild({
        ...options,
        entryPoints: pending.map((e) => ({ in: e.source, out: e.treePath.replace(/\.[^./]+$/, '') })),
        outfile: undefined,
        outdir,
        outExtension: { '.js': '.js' },
        metafile: false,
      });
    } catch (error) {
      if (!demoteTemplates(error, pending.map((e) => e.source), scan, options.absWorkingDir ?? appRoot)) throw error;
      round -= 1; // the same round again, without them
      continue;
    }
    for (const e of pending) {
      const path = join(outdir, `${e.treePath.replace(/\.[^./]+$/, '')}.js`);
      await fixGlobLookup(path);
      done.set(e.source, { ...e, path });
    }
  }
  return [...done.values()].sort((a, b) => (a.treePath < b.treePath ? -1 : 1));
}

/**
 * A package's `.js` file named by path that does not parse is a template read as text (browser-sync's
 * templates/cli-template.js, `module.exports = //OPTS;`), not a script to start: it is carried as data.
 * True when every error of the failed build lies in one of `sources` itself, which are then data.
 */
function demoteTemplates(error: unknown, sources: string[], scan: TreeScan, workingDir: string): boolean {
  const errors = (error as Partial<BuildFailure>).errors ?? [];
  const failed = new Set(errors.map((e) => (e.location ? resolve(workingDir, e.location.file) : '')));
  // The app's own script that does not parse is the app author's to fix: a build error.
  if (errors.length === 0 || ![...failed].every((file) => sources.includes(file) && file.includes('/node_modules/'))) return false;
  for (const ref of scan.references) if (ref.kind === 'entry' && failed.has(ref.path)) ref.kind = 'data';
  return true;
}
