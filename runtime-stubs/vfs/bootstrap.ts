// The tree's bootstrap, the bundle's banner (src/bundle/vfs-banner.ts), run once by
// `__seabuild_set_up()` before any package module runs (the launcher calls it, runtime-stubs/launch.ts;
// a runtime command that reads only the build info never does): it reads the tree's manifest from
// the executable, extracts the ELF files when the tree is embedded, patches fs, the module resolver
// and worker_threads, and publishes the helpers that rewritten package code calls as
// `globalThis.__seabuild`. Node builtins only; Node 22, 24, 26.
import { treeAssetPrefix, treeManifestKey, type TreeManifest } from './manifest.ts';
import { createTree } from './tree.ts';
import { leftOutKey } from './left-out.ts';
import { patchFs } from './fs-patch.ts';
import { createModuleHelpers, hookResolution } from './modules.ts';
import { extractElfFiles, extractionBase } from './extract.ts';
import { patchWorker } from './worker.ts';
import { patchFork } from './fork.ts';
import { formatOf, hookEsm, watchBuiltinImports } from './esm-hooks.ts';
import { explainMissing } from './missing.ts';
import { applyAll } from './lazy-patches.ts';
import { quietPackageDeprecations } from './deprecations.ts';

// The banner wraps this file in `function __seabuild_install() { … }`; its source starts workers.
declare const __seabuild_install: () => unknown;

const fs = process.getBuiltinModule('node:fs');
const path = process.getBuiltinModule('node:path');
const url = process.getBuiltinModule('node:url');
const Module = process.getBuiltinModule('node:module') as any;

/** What `globalThis.__seabuild` offers the bundle. */
export interface SeabuildRuntime {
  /** `embedded` (standalone executable), `external` (files laid out in the image), `none` (not a SEA). */
  mode: 'embedded' | 'external' | 'none';
  root: string;
  /** Absolute path of a tree path: what `__dirname`/`__filename` (and `import.meta.dirname`/`filename`) become in package modules. */
  dir(rel: string): string;
  /** `file:` URL of a tree path: what `import.meta.url` becomes. */
  url(rel: string): string;
  require?: NodeJS.Require;
  /** The helpers below take the calling module's folder as a tree path. */
  requireFrom(dir: string, request: string): unknown;
  resolve(dir: string, request: string, options?: { paths?: string[] }): string;
  import(dir: string, specifier: unknown): Promise<unknown>;
  bindings(dir: string): (options: string | { bindings: string }) => unknown;
  /** Makes a real (empty) folder at a path of the tree, past the fs patch's refusal: a working directory the kernel can enter (cwd.ts). */
  makeRealDir?(abs: string): void;
  /** Shows the embedded tree's files under a folder too (tree.ts mountAt): a service's working directory (run-entry.ts). */
  mountTree?(dir: string): void;
  /** Loads a tree script as the main module of this thread (workers). */
  runMain(abs: string): void;
  /** The module object of a bundled CommonJS module (src/bundle/cjs-modules.ts): Node's fields, not esbuild's bare `{ exports }`. */
  cjsModule(key: string, parent: unknown): unknown;
  /** The bundled module whose code is running its first load, the parent of the modules it requires. */
  loading?: unknown;
  main?: unknown;
}

function install(): SeabuildRuntime {
  const existing = (globalThis as any).__seabuild as SeabuildRuntime | undefined;
  if (existing) return existing;
  quietPackageDeprecations();
  const sea = process.getBuiltinModule('node:sea');
  // SEABUILD_EMBED_DIR: the SEA assets as files named by key, to run a bundle under plain node (runtime-stubs/stubs/dev-source.ts).
  const embedDir = sea?.isSea() ? undefined : process.env.SEABUILD_EMBED_DIR;
  const rawAsset = (key: string): ArrayBuffer | Buffer => (embedDir ? fs.readFileSync(path.join(embedDir, key)) : sea!.getRawAsset(key));
  const manifest = sea?.isSea() || embedDir ? readManifest(rawAsset) : undefined;
  const root = !manifest ? process.cwd()
    : manifest.layout.mode === 'external' ? manifest.layout.root
    : path.join(extractionBase(process.env), manifest.id);
  let read: ((rel: string) => Buffer) | undefined;
  if (manifest?.layout.mode === 'embedded') {
    read = (rel: string): Buffer => {
      if (!(rel in manifest.files)) throw new Error(`no embedded file ${rel}`);
      const bytes = rawAsset(treeAssetPrefix + rel);
      return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes);
    };
    guardAddons(() => extractElfFiles(manifest, root, read!), root);
  }
  const leftOut = (): Uint8Array | undefined => {
    try { return new Uint8Array(rawAsset(leftOutKey)); } catch { return undefined; } // built before the set existed, or empty
  };
  const tree = manifest ? createTree(manifest, root, leftOut) : undefined;
  let makeRealDir: ((abs: string) => void) | undefined;
  if (manifest && tree) {
    let esmHooked = false;
    if (read) {
      const mkdirSync = fs.mkdirSync;
      makeRealDir = (abs) => { mkdirSync.call(fs, abs, { recursive: true, mode: 0o700 }); };
      patchFs(tree, read);
      hookResolution(tree, read);
      esmHooked = hookEsm(tree, read);
    } else {
      explainMissing(tree);
      esmHooked = watchBuiltinImports();
    }
    // Laid out or embedded, a worker script of the tree is a CommonJS bundle: start it through runMain.
    patchWorker(tree, String(__seabuild_install));
    // The patches above wait for their builtin's first load (lazy-patches.ts); without an ESM resolve
    // hook (a Node before 22.15) an ES module's import would pass no watcher, so they are applied now.
    if (!esmHooked) applyAll();
    // pino resolves a transport target from its caller's file, which a bundle has not; bundlers tell it
    // where each one went through this documented global (pino/lib/transport.js, esbuild-plugin-pino).
    if (manifest.transports) {
      const g = globalThis as any;
      g.__bundlerPathsOverrides = { ...Object.fromEntries(Object.entries(manifest.transports).map(([name, rel]) => [name, path.join(root, rel)])), ...g.__bundlerPathsOverrides };
    }
  }
  // Inside an executable, process.execPath is the executable: a script started with it must not run the entry (fork.ts).
  if (sea?.isSea() || embedDir) patchFork();
  const readAny = read ?? ((rel: string) => fs.readFileSync(path.join(root, rel)));
  const helpers = createModuleHelpers(root, tree ? (abs) => formatOf(tree, readAny, abs) === 'module' : undefined);
  const runtime: SeabuildRuntime = {
    mode: manifest ? manifest.layout.mode : 'none',
    root,
    dir: (rel) => path.join(root, rel),
    url: (rel) => url.pathToFileURL(path.join(root, rel)).href,
    ...(manifest ? { require: helpers.require } : {}),
    requireFrom: helpers.requireFrom,
    resolve: helpers.resolve,
    import: helpers.import,
    bindings: helpers.bindings,
    ...(makeRealDir ? { makeRealDir, mountTree: (dir: string) => tree!.mountAt(dir) } : {}),
    runMain: (abs) => {
      // An ES module of the tree (tree mode carries modules as they are) runs through Node's ESM loader.
      if (tree && formatOf(tree, readAny, abs) === 'module') {
        if (process.argv[2] === abs && process.argv[1] === process.execPath) process.argv.splice(1, 1);
        void helpers.import('', url.pathToFileURL(abs).href);
      } else runAsMain(abs);
    },
    cjsModule: (key, parent) => cjsModule(key.includes(':') ? key : path.join(root, key), parent ?? runtime.main ?? null),
  };
  (globalThis as any).__seabuild = runtime;
  return runtime;
}

/**
 * A module as Node makes it: filename, id, path, parent (the module that loads it first; the entry for
 * one first required later, as `!module.parent` means "run as a program" to pstree.remy), children,
 * loaded, require. nodemon reads module.parent.filename. `paths` is computed when first read.
 */
function cjsModule(filename: string, parent: unknown): unknown {
  const module = new Module(filename, parent);
  module.filename = filename;
  let paths: string[] | undefined;
  Object.defineProperty(module, 'paths', {
    get: () => (paths ??= Module._nodeModulePaths(path.dirname(filename))),
    set: (value: string[]) => { paths = value; },
    enumerable: true, configurable: true,
  });
  return module;
}

/** Compiles a tree script as this thread's main CommonJS module, whatever its extension or package "type" says. */
function runAsMain(abs: string): void {
  // A fork()ed child sees `[execPath, execPath, module, ...args]` (a SEA repeats its path): make it `node module ...args`.
  if (process.argv[2] === abs && process.argv[1] === process.execPath) process.argv.splice(1, 1);
  // `node missing.js` fails this way, exit code 1 (a child started by process.execPath must not run the entry instead).
  if (!fs.existsSync(abs)) throw Object.assign(new Error(`Cannot find module '${abs}'`), { code: 'MODULE_NOT_FOUND', requireStack: [] });
  const module = new Module(abs, null);
  module.filename = abs;
  module.paths = Module._nodeModulePaths(path.dirname(abs));
  module.id = '.';
  Module._cache[abs] = module;
  process.mainModule = module;
  module._compile(fs.readFileSync(abs, 'utf8'), abs);
  module.loaded = true;
}

function readManifest(rawAsset: (key: string) => ArrayBuffer | Buffer): TreeManifest | undefined {
  try {
    const bytes = rawAsset(treeManifestKey);
    return JSON.parse((Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes)).toString('utf8'));
  } catch {
    return undefined; // built without a tree
  }
}

/** Extraction failures surface when an addon is loaded, with the reason, not as a crash at start. */
function guardAddons(extract: () => number, root: string): void {
  let failure: Error | undefined;
  try { extract(); } catch (error) { failure = error as Error; }
  const load = Module._extensions['.node'];
  Module._extensions['.node'] = function (module: unknown, filename: string) {
    if (failure && filename.startsWith(root)) throw new Error(`cannot load native addon ${filename}: ${failure.message}`, { cause: failure });
    try {
      return load.call(this, module, filename);
    } catch (error) {
      // Docker mounts /tmp noexec: mmap of an extracted library fails there (measured).
      if (filename.startsWith(root) && /failed to map segment|operation not permitted/i.test(String((error as Error).message))) {
        (error as Error).message += `\n(the folder ${path.dirname(root)} is probably on a noexec filesystem: set XDG_CACHE_HOME to a folder where programs may run)`;
      }
      throw error;
    }
  };
}

install();
