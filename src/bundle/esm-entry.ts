// An entry (or a module it imports) with top-level await cannot become CommonJS, and a SEA's main
// script is CommonJS before Node 25.7. Such an app is bundled twice: the app as ONE ES module file of
// the tree (format esm, same plugins, so package code finds its files as in the CommonJS bundle),
// and the executable's CommonJS bundle holding only the launcher, whose loadEntry import()s that
// file. Node's ESM loader reads it from the disk in the image, and from memory in the standalone
// executable through module.registerHooks (runtime-stubs/vfs/esm-hooks.ts; Node 22.15+).
import { build as esbuild, type BuildFailure, type BuildOptions, type Metafile, type Plugin } from 'esbuild';
import { join, posix } from 'node:path';
import type { BundledEntry } from './entries.ts';
import { fixGlobLookup } from './glob-require.ts';
import type { TreeScan } from './tree-plugin.ts';
import { importMetaResolveHelper } from './import-meta.ts';

/** True when esbuild refused the CommonJS output because of a top-level await. */
export function isTopLevelAwaitFailure(error: unknown): boolean {
  return ((error as BuildFailure)?.errors ?? []).some((e) => /Top-level await is currently not supported with the "cjs" output format/.test(e.text));
}

// In an ES module, the bundled CommonJS code still needs `require` (esbuild's __require asks for it) and the fallbacks of import.meta.
const esmBanner = 'import { createRequire as __seabuild_createRequire } from "node:module"; var require = globalThis.__seabuild?.require ?? __seabuild_createRequire(import.meta.url); var __seabuild_import_meta_url = import.meta.url, __seabuild_import_meta_dirname = import.meta.dirname, __seabuild_import_meta_filename = import.meta.filename, __seabuild_import_meta_main = false;' + importMetaResolveHelper;

/** Builds the ES module entry and the launcher-only CommonJS bundle; the scan is refilled by these builds. */
export async function bundleEsmEntry(input: {
  options: BuildOptions;
  entry: string;
  entryTreePath: string;
  scan: TreeScan;
  workDir: string;
  /** The launcher plugin for a given entry module (src/bundle/launcher.ts). */
  launcher: (entry: string) => Plugin;
}): Promise<{ metafile: Metafile; entry: BundledEntry }> {
  const { options, scan } = input;
  // The failed CommonJS attempt recorded half a scan: start again.
  for (const list of [scan.references, scan.addons, scan.packageData, scan.missing, scan.warnings, scan.compiled.files]) list.length = 0;
  const treePath = posix.join(posix.dirname(input.entryTreePath), `${posix.basename(input.entryTreePath).replace(/\.[^.]*$/, '')}.seabuild.mjs`);
  const esmPath = join(input.workDir, 'entries', treePath);
  const others = (options.plugins ?? []).filter((p) => p.name !== 'seabuild-launcher');
  const esm = await esbuild({ ...options, entryPoints: [input.entry], outfile: esmPath, format: 'esm', banner: { js: esmBanner }, plugins: others });
  await fixGlobLookup(esmPath);
  // The loader is a module of its own namespace, not a file in the work folder: the bundle names its
  // modules in comments and keys, and a temp folder's name made every build's bytes differ.
  const loader: Plugin = {
    name: 'seabuild-esm-entry-loader',
    setup(build) {
      build.onResolve({ filter: /^seabuild:esm-entry$/ }, () => ({ path: 'esm-entry', namespace: 'seabuild' }));
      build.onLoad({ filter: /^esm-entry$/, namespace: 'seabuild' }, () => ({
        contents: `module.exports = globalThis.__seabuild.import('', globalThis.__seabuild.url(${JSON.stringify(treePath)}));\n`,
        loader: 'js',
      }));
    },
  };
  const main = await esbuild({ ...options, plugins: [input.launcher('seabuild:esm-entry'), loader, ...others] });
  const metafile: Metafile = { inputs: { ...main.metafile!.inputs, ...esm.metafile!.inputs }, outputs: { ...main.metafile!.outputs, ...esm.metafile!.outputs } };
  return { metafile, entry: { source: input.entry, treePath, path: esmPath } };
}
