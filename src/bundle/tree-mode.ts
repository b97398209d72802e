// Tree mode: the app is not bundled. Its modules and the packages they import are tree files at
// their own paths (src/trace-files), and the bundle holds only seabuild's runtime and a launcher
// that runs the entry as `node ENTRY` does: CommonJS through Module (require.main === module), an
// ES module through Node's ESM loader (import.meta.url is its tree path). Framework output (Next's
// standalone server.js, Nuxt's .output, SvelteKit's build/, Astro's dist/) loads its chunks by
// computed paths and is already built: it runs as its framework built it.
import { build as esbuild, type BuildFailure, type BuildOptions, type Plugin } from 'esbuild';
import { readFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { SeabuildError, type Warning } from '../errors.ts';
import { sha256Hex } from '../sha256.ts';
import { argumentFiles, traceFiles } from '../trace-files/index.ts';
import type { OutsideLoad } from '../trace-files/outside.ts';
import { treeSpecifierPrefix } from '../../runtime-stubs/vfs/manifest.ts';
import { runtimeDir, runtimeEntry, runtimeFile, stubPlugin } from './plugins.ts';
import { builtinImportsPlugin } from './builtin-imports.ts';
import { launcherSpecifier } from './launcher.ts';
import { launcherBuildOptions } from './build-options.ts';
import { treePathOf } from './tree-paths.ts';
import { vfsBanner } from './vfs-banner.ts';
import type { Bundle, BundleSettings } from './types.ts';

/** Traces the entry and bundles the runtime's launcher alone into `workDir/bundle.cjs`. */
export async function bundleTreeMode(config: BundleSettings, workDir: string, outputDir: string | undefined): Promise<Bundle> {
  const entryTreePath = treePathOf(config.entry, config.root);
  if (entryTreePath === undefined || !config.entry.startsWith(`${config.root}/`)) {
    throw new SeabuildError({ code: 'TREE_ENTRY_OUTSIDE', message: `the entry ${config.entry} lies outside the app folder ${config.root}`, file: config.entry, fix: 'build from the folder that holds the entry (the app\'s package.json), or bundle it ("bundle": true)' });
  }
  const traced = await traceFiles({ root: config.root, entry: config.entry, toolDir: dirname(runtimeDir), ...(outputDir ? { outputDir } : {}), ...(config.args ? { args: config.args } : {}) });
  const args = treeArguments(config);
  const outfile = join(workDir, 'bundle.cjs');
  const banner = await vfsBanner();
  const options: BuildOptions = {
    ...launcherBuildOptions(config, outfile),
    banner: { js: banner },
    plugins: [builtinImportsPlugin(), treeLauncherPlugin(entryTreePath, config.root, config.mode !== 'cli', traced.runApp), stubPlugin({ hasMigrations: config.migrationsDir !== undefined, appRoot: config.root })],
  };
  let metafile;
  try {
    metafile = (await esbuild(options)).metafile!;
  } catch (cause) {
    const first = (cause as BuildFailure).errors?.[0];
    throw new SeabuildError({ code: 'BUNDLE_FAILED', message: `esbuild failed on seabuild's launcher: ${first?.text ?? (cause as Error).message}`, file: config.entry, fix: 'report this to seabuild: the launcher holds no code of the app', cause });
  }
  const bytes = await readFile(outfile);
  return {
    path: outfile,
    sizeBytes: bytes.length,
    sha256: sha256Hex(bytes),
    metafile,
    inputSha256: {},
    packageVersions: {},
    launcherInput: launcherSpecifier,
    bannerBytes: Buffer.byteLength(banner) + 1,
    warnings: outsideWarnings(traced.outside, config.root),
    tree: { references: [], addons: [], entries: [], packageData: [], missingPackages: [], compiled: { files: [] }, traced },
    launch: { entry: entryTreePath, runApp: traced.runApp, ...(args ? { args } : {}) },
  };
}

/** A module loaded by a relative path out of what is carried (src/trace-files/outside.ts): named, with what happens at run time. */
function outsideWarnings(loads: OutsideLoad[], root: string): Warning[] {
  return loads.map(({ path, from }) => ({
    code: 'TREE_LOAD_OUTSIDE',
    message: `${relative(root, from)} loads ${relative(dirname(from), path)} (${path}), outside what the executable carries: it is not in the executable, and loading it fails there as node fails without the file (MODULE_NOT_FOUND)`,
    file: from,
    fix: 'put the module inside the build output (or the app folder) and load it from there, or build the app so that its output holds everything it loads',
  }));
}

/** `seabuild:launch` → launch({ loadEntry: () => runTreeEntry(ENTRY) }): the entry is a file of the tree, run by Node's loaders. */
function treeLauncherPlugin(entryTreePath: string, root: string, inAppFolder: boolean, runApp: boolean): Plugin {
  return {
    name: 'seabuild-launcher',
    setup(build) {
      build.onResolve({ filter: /^seabuild:launch$/ }, () => ({ path: 'launch', namespace: 'seabuild' }));
      // An app that calls runApp() gets the launcher's runtime for `seabuild/runtime` (run-entry.ts).
      const appRuntime = runApp ? `, appRuntime: require(${JSON.stringify(runtimeEntry)})` : '';
      build.onLoad({ filter: /^launch$/, namespace: 'seabuild' }, () => ({
        contents: `const { runTreeEntry } = require(${JSON.stringify(runtimeFile('vfs/run-entry'))});\nrequire(${JSON.stringify(runtimeFile('launch'))}).launch({ loadEntry: () => runTreeEntry(${JSON.stringify(entryTreePath)}, { inAppFolder: ${inAppFolder}${appRuntime} }) });\n`,
        loader: 'js',
        resolveDir: root,
      }));
    },
  };
}

/** The default arguments, a file of the app named `seabuild:tree/<path>`: the runtime makes it that file's path in the tree. */
function treeArguments(config: BundleSettings): string[] | undefined {
  if (!config.args) return undefined;
  const files = new Set(argumentFiles(config));
  return config.args.map((arg) => {
    const file = resolve(config.root, arg);
    return files.has(file) ? `${treeSpecifierPrefix}${treePathOf(file, config.root)}` : arg;
  });
}
