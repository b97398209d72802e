// The esbuild plugin behind the embedded tree: every module of the app and its packages is read once
// to rewrite its location-dependent code (rewrite.ts), to find the files it opens at run time
// (references.ts) and its shell-outs (shell-outs.ts); `.node` imports become requests into the tree.
import { existsSync, readFileSync } from 'node:fs';
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
import { missingPackagesPlugin, type MissingPackage } from './missing-packages.ts';
import { createDecoratorCompiler, type CompiledFiles } from './decorators.ts';

/** What the plugin learned about the modules it saw. */
export interface TreeScan {
  references: FileReference[];
  /** Native addons imported by a literal specifier: the .node file and the module importing it. */
  addons: Array<{ path: string; from: string }>;
  /** Packages imported by package code but not installed: left to fail at run time (missing-packages.ts). */
  missing: MissingPackage[];
  /** Files compiled by the app's TypeScript instead of esbuild (decorator metadata, see decorators.ts). */
  compiled: CompiledFiles;
  /** One record per package folder that reads its own location (first module seen). */
  packageData: PackageDataReference[];
  warnings: Warning[];
}

/** A package that computes paths from `__dirname`/`import.meta.url`: it may open any file it publishes. */
export interface PackageDataReference {
  /** The package folder. */
  dir: string;
  /** The module that uses its location, and the 1-based line. */
  from: string;
  line: number;
}

const ownLocation = /\b(__dirname|__filename|import\.meta\.(url|dirname|filename))\b/;

/** An empty scan, to pass to `treePlugin`. */
export function createTreeScan(): TreeScan {
  return { references: [], addons: [], packageData: [], missing: [], compiled: { files: [] }, warnings: [] };
}

const loaders: Record<string, Loader> = { ts: 'ts', mts: 'ts', cts: 'ts', tsx: 'tsx', jsx: 'jsx' };

/** Rewrites and scans the modules of the app at `appRoot`, recording into `scan`. */
export function treePlugin(appRoot: string, scan: TreeScan, entry?: string | string[]): Plugin {
  // The app's entry and its commands' scripts (src/commands) become require.main when they run.
  const mains = new Set([entry ?? []].flat());
  return {
    name: 'seabuild-tree',
    setup(build) {
      missingPackagesPlugin(scan.missing).setup(build);
      const decorators = createDecoratorCompiler(appRoot, scan.compiled);
      build.onResolve({ filter: /\.node$/ }, (args) => {
        const abs = resolveAddon(args.path, args.resolveDir, args.importer);
        const rel = abs && treePathOf(abs, appRoot);
        // `@img/sharp-linux-x64/sharp.node` is an exports key whose target is a script (index.cjs): esbuild bundles that.
        if (!abs || !rel || !abs.endsWith('.node')) return undefined;
        scan.addons.push({ path: abs, from: args.importer });
        return { path: treeSpecifierPrefix + rel, external: true };
      });
      build.onLoad({ filter: /\.(c|m)?[jt]sx?$/ }, async (args) => {
        const rel = args.path.startsWith(runtimeDir) ? undefined : treePathOf(args.path, appRoot);
        if (!rel) return undefined;
        const source = readFileSync(args.path, 'utf8');
        // TypeScript that needs decorator metadata is compiled by the app's own compiler first (esbuild emits none).
        let compiled: string | undefined;
        try {
          compiled = decorators.compile(args.path, source);
        } catch (error) {
          // A message naming the file, not the plugin's stack (a broken tsconfig, code SWC cannot parse).
          return { errors: [{ text: `compiling ${rel} for its decorator metadata failed: ${(error as Error).message}`, location: { file: args.path }, notes: [{ text: 'check the file and its tsconfig.json; the same file must compile with the app\'s own tsc' }] }] };
        }
        const lexed = lexSource(compiled ?? source);
        const pkg = packageOf(rel);
        const dir = packageDirOf(args.path, appRoot);
        scan.references.push(...findReferences(lexed, args.path, dir));
        scan.warnings.push(...findShellOuts(lexed, args.path, pkg === 'the app' ? undefined : pkg));
        const location = pkg === 'the app' ? null : ownLocation.exec(lexed.masked);
        if (location && !scan.packageData.some((p) => p.dir === dir)) scan.packageData.push({ dir, from: args.path, line: lexed.lineOf(location.index) });
        const contents = rewriteModule(lexed, rel, { entry: mains.has(args.path) }) ?? compiled;
        if (contents === undefined) return undefined;
        return { contents, loader: compiled !== undefined ? 'js' : (loaders[args.path.slice(args.path.lastIndexOf('.') + 1)] ?? 'js'), resolveDir: dirname(args.path) };
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
