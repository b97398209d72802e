// Stage 1: esbuild bundles the app and seabuild's runtime into one CommonJS file for the SEA.
// The metafile is the record of what went in; the size report reads it.
import { build as esbuild, type BuildFailure, type Message, type Metafile } from 'esbuild';
import { readFile } from 'node:fs/promises';
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { createHash } from 'node:crypto';
import { SeabuildError, type Warning } from '../errors.ts';
import type { ResolvedConfig } from '../config.ts';
import { nativeAddonPlugin, runtimeEntry, stubPlugin } from './plugins.ts';

/** The bundled program and what went into it. */
export interface Bundle {
  path: string;
  sizeBytes: number;
  sha256: string;
  metafile: Metafile;
  warnings: Warning[];
}

// In CommonJS output import.meta is empty; give it the bundle's own URL (inside a SEA, __filename is
// the executable), so `new URL('.', import.meta.url)` keeps working.
const importMetaBanner = 'var __seabuild_import_meta_url = require("url").pathToFileURL(__filename).href;';

/** Bundles `config.entry` into `workDir/bundle.cjs`. */
export async function bundle(config: ResolvedConfig, workDir: string): Promise<Bundle> {
  const outfile = join(workDir, 'bundle.cjs');
  const nativeImports: Array<{ importer: string; path: string }> = [];
  let result;
  try {
    result = await esbuild({
      entryPoints: [config.entry],
      absWorkingDir: config.root,
      outfile,
      bundle: true,
      platform: 'node',
      format: 'cjs',
      // Users ship on Node 22, 24 and 26: never emit syntax newer than the oldest.
      target: 'node22',
      metafile: true,
      write: true,
      logLevel: 'silent',
      minify: config.minify,
      legalComments: 'none',
      external: config.external,
      alias: { 'seabuild/runtime': runtimeEntry },
      nodePaths: [join(config.root, 'node_modules')],
      banner: { js: importMetaBanner },
      define: { 'import.meta.url': '__seabuild_import_meta_url', 'import.meta.dirname': '__dirname', 'import.meta.filename': '__filename' },
      plugins: [stubPlugin({ hasMigrations: config.migrationsDir !== undefined, appRoot: config.root }), nativeAddonPlugin(nativeImports)],
    });
  } catch (error) {
    throw bundleError(config, error as BuildFailure);
  }
  if (nativeImports.length > 0) throw nativeAddonError(config, nativeImports[0]!.importer);
  const addonPackage = findNativePackage(config, result.metafile);
  if (addonPackage) throw nativeAddonError(config, addonPackage);
  const bytes = await readFile(outfile);
  return {
    path: outfile,
    sizeBytes: bytes.length,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    metafile: result.metafile,
    warnings: result.warnings.map((m) => toWarning(config, m)),
  };
}

function location(config: ResolvedConfig, message: Message): { file?: string; line?: number } {
  if (!message.location) return {};
  return { file: resolve(config.root, message.location.file), line: message.location.line };
}

function bundleError(config: ResolvedConfig, failure: BuildFailure): SeabuildError {
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

function toWarning(config: ResolvedConfig, message: Message): Warning {
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

/** A bundled package that ships a compiled addon (binding.gyp or prebuilt .node files) needs it at run time. */
function findNativePackage(config: ResolvedConfig, metafile: Metafile): string | undefined {
  const packageDirs = new Set<string>();
  for (const input of Object.keys(metafile.inputs)) {
    const match = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(input);
    if (match) packageDirs.add(resolve(config.root, match[1]!));
  }
  for (const dir of [...packageDirs].sort()) {
    if (existsSync(join(dir, 'binding.gyp')) || hasNodeFile(join(dir, 'build/Release')) || hasNodeFile(join(dir, 'prebuilds'), 2)) return join(dir, 'package.json');
  }
  return undefined;
}

function hasNodeFile(dir: string, depth = 1): boolean {
  if (!existsSync(dir)) return false;
  return readdirSync(dir, { withFileTypes: true }).some((e) => (e.isFile() && e.name.endsWith('.node')) || (e.isDirectory() && depth > 1 && hasNodeFile(join(dir, e.name), depth - 1)));
}

function nativeAddonError(config: ResolvedConfig, file: string): SeabuildError {
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file)?.[1] ?? relative(config.root, dirname(file));
  return new SeabuildError({
    code: 'NATIVE_ADDON_UNSUPPORTED',
    message: `package "${pkg}" needs a native addon (.node file), which this version of seabuild cannot embed yet`,
    file,
    fix: `use a pure-JavaScript alternative to ${pkg}, or mark it external and ship it beside the executable`,
  });
}
