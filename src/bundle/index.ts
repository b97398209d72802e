// Stage 1: esbuild bundles the app and seabuild's runtime into one CommonJS file for the SEA.
// The metafile is the record of what went in; the size report reads it.
import { builtinImportsPlugin } from './builtin-imports.ts';
import { platformPackagesPlugin } from './platform-plugin.ts';
import { build as esbuild, type BuildFailure, type BuildOptions, type Message, type Metafile } from 'esbuild';
import { readFile, writeFile } from 'node:fs/promises';
import { isAbsolute, join, resolve } from 'node:path';
import { SeabuildError, type Warning } from '../errors.ts';
import { sha256Hex } from '../sha256.ts';
import { byteOrder } from '../order.ts';
import { lastPackageDir } from '../package-path.ts';
import { stubPlugin } from './plugins.ts';
import { createTreeScan, treePlugin } from './tree-plugin.ts';
import { eagerVfsBanner, vfsBanner } from './vfs-banner.ts';
import { withNodeGlobLookup } from './glob-require.ts';
import { withNodeModuleObjects } from './cjs-modules.ts';
import { withCheapNames } from './keep-names.ts';
import { packageLines, packageLinesFunction } from './package-lines.ts';
import { bundleEntries, type BundledEntry } from './entries.ts';
import { launcherPlugin, launcherSpecifier, usesRunApp } from './launcher.ts';
import { bundleEsmEntry, isTopLevelAwaitFailure } from './esm-entry.ts';
import { treePathOf } from './tree-paths.ts';
import { bundleTreeMode } from './tree-mode.ts';
import { launcherBuildOptions } from './build-options.ts';
import { argumentFiles, outputFolderOf } from '../trace-files/index.ts';
import { finishSourceMap } from './source-map.ts';
import { carriedScriptImports } from './carried-scripts.ts';
import { importMetaResolveHelper } from './import-meta.ts';
import { appCommands, commandReferences, commandsOf, commandWarnings } from '../commands/index.ts';

export type { BundledEntry } from './entries.ts';
export type { FileReference } from './references.ts';
export type { PackageDataReference } from './tree-plugin.ts';

export type { Bundle, BundleLaunch, BundleSettings, BundleTree } from './types.ts';
import type { Bundle, BundleSettings } from './types.ts';

// In CommonJS output import.meta is empty; give it the bundle's own URL (inside a SEA, __filename is
// the executable), so `new URL('.', import.meta.url)` keeps working.
const importMetaBanner = 'var __seabuild_import_meta_url = require("url").pathToFileURL(__filename).href, __seabuild_import_meta_dirname = __dirname, __seabuild_import_meta_filename = __filename, __seabuild_import_meta_main = false;';

/** Bundles `config.entry` into `workDir/bundle.cjs`. */
export async function bundle(config: BundleSettings, workDir: string): Promise<Bundle> {
  // Tree mode: asked for ("bundle": false), or the entry is a framework's build output (src/trace-files/output-folder.ts).
  // An argument naming a file of the app (react-router-serve ./build/server/index.js) is a module it loads by path: tree mode too.
  if (config.bundle !== true) {
    const outputDir = [config.entry, ...argumentFiles(config)].map((file) => outputFolderOf(config.root, file)).find((dir) => dir !== undefined);
    if (config.bundle === false || outputDir !== undefined) return bundleTreeMode(config, workDir, outputDir);
  }
  const outfile = join(workDir, 'bundle.cjs');
  const scan = createTreeScan();
  // The app's commands (./app migrate): their scripts are bundled on their own, their data carried.
  const commands = commandsOf(config);
  scan.references.push(...commandReferences(commands, config.root));
  scan.warnings.push(...commandWarnings(commands, config.root, config.migrationsDir));
  const entryTreePath = treePathOf(config.entry, config.root) ?? 'index.js';
  const banner = `${await vfsBanner()}\n${importMetaBanner}${importMetaResolveHelper}`;
  const options: BuildOptions = {
    ...launcherBuildOptions(config, outfile),
    // A map for stack traces (src/bundle/source-map.ts); without the sources' text, which a trace never shows.
    sourcemap: config.sourceMaps ? 'external' : false,
    sourcesContent: false,
    // A require() with a computed name makes esbuild include every file it could name (glob-require.ts),
    // source maps beside compiled scripts too (browser-sync's cli/command.*.js.map); no program requires one.
    loader: { '.map': 'empty' },
    external: config.external,
    nodePaths: [join(config.root, 'node_modules')],
    // The tree's bootstrap first: it must patch fs and require before any package module runs.
    banner: { js: banner },
    // Modules of the app and its packages get their own values (src/bundle/rewrite.ts); the banner's are the fallback.
    define: { 'import.meta.url': '__seabuild_import_meta_url', 'import.meta.dirname': '__seabuild_import_meta_dirname', 'import.meta.filename': '__seabuild_import_meta_filename', 'import.meta.main': '__seabuild_import_meta_main' },
    plugins: [builtinImportsPlugin(), launcherPlugin(config.entry, config.root), stubPlugin({ hasMigrations: config.migrationsDir !== undefined, appRoot: config.root }), platformPackagesPlugin(config.root), treePlugin(config.root, scan, [config.entry, ...commands.flatMap((c) => (c.bin ? [] : [c.file]))])],
  };
  // A worker or forked script has no launcher before its code: its banner sets the tree up at once.
  const entryOptions: BuildOptions = { ...options, banner: { js: `${await eagerVfsBanner()}\n${importMetaBanner}` } };
  let metafile: Metafile;
  let entries: BundledEntry[];
  let warnings: Message[] = [];
  try {
    try {
      const result = await esbuild(options);
      metafile = result.metafile!;
      warnings = result.warnings;
      entries = await bundleEntries(entryOptions, scan, config.root, workDir);
    } catch (error) {
      if (!isTopLevelAwaitFailure(error)) throw error;
      // Top-level await: the app becomes an ES module of the tree (esm-entry.ts).
      const esm = await bundleEsmEntry({ options, entry: config.entry, entryTreePath, scan, workDir, launcher: (entry) => launcherPlugin(entry, config.root) });
      metafile = esm.metafile;
      entries = [...(await bundleEntries(entryOptions, scan, config.root, workDir)), esm.entry];
    }
  } catch (error) {
    throw bundleError(config, error as BuildFailure);
  }
  // Scripts carried for a load by path run under Node's loader: what they import is carried beside them.
  scan.references.push(...carriedScriptImports(scan.references, config.root));
  const bytes = await finishBundle(outfile, Object.keys(metafile.inputs));
  const sourceMap = config.sourceMaps ? await finishSourceMap(`${outfile}.map`, config.root) : undefined;
  const runApp = usesRunApp(metafile, config.root);
  return {
    path: outfile,
    sizeBytes: bytes.length,
    sha256: sha256Hex(bytes),
    metafile,
    inputSha256: await hashInputs(metafile, config.root),
    packageVersions: await packageVersionsOf(metafile, config.root),
    launcherInput: launcherSpecifier,
    bannerBytes: Buffer.byteLength(banner) + 1,
    warnings: [...warnings.map((m) => toWarning(config, m)), ...scan.warnings],
    tree: { references: scan.references, addons: scan.addons, entries, packageData: scan.packageData, missingPackages: scan.missing, compiled: scan.compiled, commandPackages: [...new Set(commands.flatMap((c) => c.packages))].sort() },
    launch: {
      entry: entryTreePath, runApp, commands: appCommands(commands, config.root, runApp),
      ...(config.args ? { args: config.args } : {}), ...(sourceMap ? { sourceMap } : {}),
    },
  };
}

/** sha256 of every input that is a file (`(disabled):fs`, `<define:…>` and plugin namespaces are not). */
async function hashInputs(metafile: Metafile, root: string): Promise<Record<string, string>> {
  const hashes: Record<string, string> = {};
  for (const input of Object.keys(metafile.inputs)) {
    if (/^[(<]|^[a-z-]+:/.test(input)) continue;
    hashes[input] = sha256Hex(await readFile(isAbsolute(input) ? input : resolve(root, input)));
  }
  return hashes;
}

/** The version of each package the inputs come from, read once per package folder. */
async function packageVersionsOf(metafile: Metafile, root: string): Promise<Record<string, string>> {
  const versions: Record<string, string> = {};
  const dirs = new Set(Object.keys(metafile.inputs).flatMap((input) => lastPackageDir(input)?.dir ?? []));
  for (const dir of [...dirs].sort(byteOrder)) {
    try {
      const version = JSON.parse(await readFile(join(isAbsolute(dir) ? dir : resolve(root, dir), 'package.json'), 'utf8')).version;
      if (typeof version === 'string') versions[dir] = version;
    } catch { /* a folder without a readable package.json has no version to show */ }
  }
  return versions;
}

function location(config: BundleSettings, message: Message): { file?: string; line?: number } {
  if (!message.location) return {};
  return { file: resolve(config.root, message.location.file), line: message.location.line };
}

function bundleError(config: BundleSettings, failure: BuildFailure): SeabuildError {
  const first = failure.errors?.[0];
  if (!first) return new SeabuildError({ code: 'BUNDLE_FAILED', message: `esbuild failed: ${failure.message}`, file: config.entry, cause: failure });
  const unresolved = /^Could not resolve "([^"]+)"/.exec(first.text);
  const notes = first.notes.map((n) => n.text).join(' ');
  const more = failure.errors.length > 1 ? ` (and ${failure.errors.length - 1} more error${failure.errors.length > 2 ? 's' : ''})` : '';
  return new SeabuildError({
    code: unresolved ? 'BUNDLE_UNRESOLVED_IMPORT' : 'BUNDLE_SYNTAX_ERROR',
    message: `${first.text}${more}`,
    ...location(config, first),
    fix: unresolved
      ? unresolvedFix(unresolved[1]!)
      : (notes || 'fix the code at that line; the app must parse as TypeScript/JavaScript'),
    cause: failure,
  });
}

function toWarning(config: BundleSettings, message: Message): Warning {
  return { code: 'BUNDLE_WARNING', message: message.text, ...location(config, message) };
}

function unresolvedFix(specifier: string): string {
  if (specifier.startsWith('.') || specifier.startsWith('/')) return `check the path "${specifier}" (relative to the importing file, with its extension for .ts files)`;
  return `install it (npm install ${packageNameOf(specifier)}), or list it in "external" if it must not be bundled`;
}

function packageNameOf(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? specifier);
}

/** esbuild's output made to behave as Node does: glob lookups (glob-require.ts), module objects (cjs-modules.ts), and which lines are package code (package-lines.ts). */
async function finishBundle(outfile: string, inputs: string[]): Promise<Buffer> {
  const code = withCheapNames(withNodeModuleObjects(withNodeGlobLookup(await readFile(outfile, 'utf8'))));
  const lines = packageLines(code, inputs);
  const finished = Buffer.from(lines.length > 0 ? code + packageLinesFunction(lines) : code);
  await writeFile(outfile, finished);
  return finished;
}
