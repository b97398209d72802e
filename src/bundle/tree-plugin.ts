// The esbuild plugin behind the embedded tree: every module of the app and its packages is read once
// to rewrite its location-dependent code (rewrite.ts), to find the files it opens at run time
// (references.ts) and its shell-outs (shell-outs.ts); `.node` imports become requests into the tree.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, isAbsolute, resolve } from 'node:path';
import type { Loader, Plugin } from 'esbuild';
import type { Warning } from '../errors.ts';
import { treeSpecifierPrefix } from '../../runtime-stubs/vfs/manifest.ts';
import { packageOf } from '../../runtime-stubs/vfs/tree.ts';
import { lexSource } from './js-lexer.ts';
import { findReferences, type FileReference } from './references.ts';
import { rewriteModule } from './rewrite.ts';
import { findShellOuts } from './shell-outs.ts';
import { packageDirOf, treePathOf } from './tree-paths.ts';
import { runtimeDir } from './plugins.ts';

/** What the plugin learned about the modules it saw. */
export interface TreeScan {
  references: FileReference[];
  /** Native addons imported by a literal specifier: the .node file and the module importing it. */
  addons: Array<{ path: string; from: string }>;
  warnings: Warning[];
}

/** An empty scan, to pass to `treePlugin`. */
export function createTreeScan(): TreeScan {
  return { references: [], addons: [], warnings: [] };
}

const loaders: Record<string, Loader> = { ts: 'ts', mts: 'ts', cts: 'ts', tsx: 'tsx', jsx: 'jsx' };

/** Rewrites and scans the modules of the app at `appRoot`, recording into `scan`. */
export function treePlugin(appRoot: string, scan: TreeScan, entry?: string): Plugin {
  return {
    name: 'seabuild-tree',
    setup(build) {
      build.onResolve({ filter: /\.node$/ }, (args) => {
        const abs = resolveAddon(args.path, args.resolveDir, args.importer);
        const rel = abs && treePathOf(abs, appRoot);
        if (!abs || !rel) return undefined;
        scan.addons.push({ path: abs, from: args.importer });
        return { path: treeSpecifierPrefix + rel, external: true };
      });
      build.onLoad({ filter: /\.(c|m)?[jt]sx?$/ }, async (args) => {
        const rel = args.path.startsWith(runtimeDir) ? undefined : treePathOf(args.path, appRoot);
        if (!rel) return undefined;
        const lexed = lexSource(await readFile(args.path, 'utf8'));
        const pkg = packageOf(rel);
        scan.references.push(...findReferences(lexed, args.path, packageDirOf(args.path, appRoot)));
        scan.warnings.push(...findShellOuts(lexed, args.path, pkg === 'the app' ? undefined : pkg));
        const contents = rewriteModule(lexed, rel, { entry: args.path === entry });
        if (contents === undefined) return undefined;
        return { contents, loader: loaders[args.path.slice(args.path.lastIndexOf('.') + 1)] ?? 'js', resolveDir: dirname(args.path) };
      });
    },
  };
}

function resolveAddon(path: string, resolveDir: string, importer: string): string | undefined {
  if (path.startsWith('.') || isAbsolute(path)) {
    const abs = resolve(resolveDir, path);
    return existsSync(abs) ? abs : undefined;
  }
  try {
    return createRequire(importer || `${resolveDir}/`).resolve(path);
  } catch {
    return undefined;
  }
}
