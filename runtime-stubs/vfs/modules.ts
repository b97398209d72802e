// Module loading from the tree: Module._resolveFilename consults the tree for requests made from a
// module inside it (or naming a path inside it); Node's loader then reads the file through the patched
// fs (`.js`, `.json`) or dlopen()s it from disk (`.node`, extracted or laid out beforehand).
// The helpers below are what the bundler rewrites package code to call (src/bundle/rewrite.ts).
import type { Tree } from './tree.ts';
import { resolveInTree } from './resolve.ts';
import { missingNote, notEmbedded, packageNotEmbedded } from './fs-errors.ts';
import { treeSpecifierPrefix } from './manifest.ts';

const Module = process.getBuiltinModule('node:module') as any;
const path = process.getBuiltinModule('node:path');
const url = process.getBuiltinModule('node:url');

type Require = NodeJS.Require;

/** Hooks Module._resolveFilename so that modules in the tree resolve against the tree. */
export function hookResolution(tree: Tree, read: (rel: string) => Buffer): void {
  const original = Module._resolveFilename;
  Module._resolveFilename = function (request: string, parent: any, isMain: boolean, options: any) {
    if (typeof request === 'string' && !Module.isBuiltin(request)) {
      if (request.startsWith(treeSpecifierPrefix)) request = path.join(tree.root, request.slice(treeSpecifierPrefix.length));
      const fromDir = parent?.filename ? path.dirname(parent.filename) : tree.root;
      const target = path.isAbsolute(request) ? request : path.resolve(fromDir, request);
      const relative = /^\.\.?(\/|$)/.test(request) || path.isAbsolute(request);
      // A path outside the tree is the real disk's (a config file the user names): Node resolves it. But a
      // relative one from a module of the tree names no file of the app: never whatever lies beside the tree.
      if (relative && tree.relative(target) === undefined) {
        if (!path.isAbsolute(request) && tree.relative(fromDir) !== undefined) throw notFoundAsNode(request, parent);
        return original.call(this, request, parent, isMain, options);
      }
      if (tree.relative(fromDir) !== undefined || (relative && tree.relative(target) !== undefined)) {
        const found = resolveInTree(tree, read, request, fromDir);
        if (found) return found;
        // A bare name not in the tree may still be a real package beside the executable (external).
        if (relative || tree.relative(fromDir) === undefined) throw notFound(tree, request, fromDir);
        try { return original.call(this, request, parent, isMain, options); } catch { throw notFound(tree, request, fromDir); }
      }
    }
    return original.call(this, request, parent, isMain, options);
  };
}

function notFound(tree: Tree, request: string, fromDir: string): Error {
  const byPath = /^\.\.?(\/|$)/.test(request) || path.isAbsolute(request);
  const what = byPath ? moduleNote(tree, tree.relative(path.resolve(fromDir, request)) ?? request) : packageNotEmbedded(tree, request, tree.relative(fromDir) ?? '');
  return Object.assign(new Error(`Cannot find module '${request}'${what ? `: ${what}` : ''}`), { code: 'MODULE_NOT_FOUND' });
}

/** Node's own error for a file that is not there: the message and `requireStack` of Module._resolveFilename. */
function notFoundAsNode(request: string, parent: any): Error {
  const requireStack: string[] = [];
  for (let m = parent; m; m = m.parent) if (m.filename || m.id) requireStack.push(m.filename || m.id);
  const stack = requireStack.length > 0 ? `\nRequire stack:\n- ${requireStack.join('\n- ')}` : '';
  return Object.assign(new Error(`Cannot find module '${request}'${stack}`), { code: 'MODULE_NOT_FOUND', requireStack });
}

/** The note for a module required by path: the file itself or one of the names Node tries for it. */
function moduleNote(tree: Tree, rel: string): string | undefined {
  const tried = [rel, ...['.js', '.json', '.node', '.cjs', '.mjs', '/package.json', '/index.js', '/index.json'].map((suffix) => rel + suffix)];
  const found = tried.find((candidate) => missingNote(tree, candidate, 'module'));
  return found === undefined ? undefined : notEmbedded(found === rel || found.endsWith('/package.json') ? rel : found, 'module');
}

/** The helpers rewritten package code calls, each taking the calling module's folder as a tree path. */
export function createModuleHelpers(root: string, isEsm: (abs: string) => boolean = isEsModule) {
  const requires = new Map<string, Require>();
  const requireFrom = (rel: string): Require => {
    let req = requires.get(rel);
    if (!req) requires.set(rel, (req = Module.createRequire(path.join(root, rel, '[seabuild]'))));
    return req!;
  };
  // The bundle names the tree's addons `seabuild:tree/<path>`; with the tree laid out (no resolver hook) this maps them.
  const base = requireFrom('');
  const bundleRequire = Object.assign((request: string) => base(request.startsWith(treeSpecifierPrefix) ? path.join(root, request.slice(treeSpecifierPrefix.length)) : request), base);
  return {
    /** The bundle's own `require`: builtins, then the tree from its root. */
    require: bundleRequire as Require,
    /** `require(expr)` with a computed specifier. */
    requireFrom: (dir: string, request: string) => requireFrom(dir)(request),
    /** `require.resolve(x, options)`. */
    resolve: (dir: string, request: string, options?: { paths?: string[] }) => requireFrom(dir).resolve(request, options),
    /** `import(expr)` with a computed specifier: CommonJS (bundled) modules through require, ES modules through Node's loader (esm-hooks.ts). */
    import: async (dir: string, given: unknown): Promise<unknown> => {
      // import() takes any value and uses its string: eslint passes pathToFileURL(file), a URL object.
      const specifier = String(given);
      if (Module.isBuiltin(specifier) || /^(data|https?):/.test(specifier)) return import(specifier);
      const request = specifier.startsWith('file:') ? url.fileURLToPath(specifier) : specifier;
      const resolved = requireFrom(dir).resolve(request);
      if (isEsm(resolved)) return loaderImport(url.pathToFileURL(resolved).href);
      let exports: any;
      try {
        exports = requireFrom(dir)(resolved);
      } catch (error) {
        if ((error as any)?.code === 'ERR_REQUIRE_ESM' || (error as any)?.code === 'ERR_REQUIRE_ASYNC_MODULE') return loaderImport(url.pathToFileURL(resolved).href);
        throw error;
      }
      return exports && exports.__esModule ? exports : Object.assign(Object.create(null), exports, { default: exports });
    },
    /** The `bindings` package, resolved against the tree: finds `<name>.node` in the usual build folders. */
    bindings: (dir: string) => (options: string | { bindings: string }) => {
      let name = typeof options === 'string' ? options : options.bindings;
      if (!name.endsWith('.node')) name += '.node';
      const req = requireFrom(dir);
      const packageRoot = findPackageRoot(req, path.join(root, dir));
      const tries = [['build', name], ['build', 'Release', name], ['build', 'Debug', name], ['out', 'Release', name], ['Release', name],
        ['build', 'default', name], ['compiled', process.versions.node, process.platform, process.arch, name], ['lib', 'binding', name]];
      for (const parts of tries) {
        try { return req(path.join(packageRoot, ...parts)); } catch (error) { if ((error as any)?.code !== 'MODULE_NOT_FOUND') throw error; }
      }
      throw Object.assign(new Error(`Could not locate the bindings file ${name} under ${packageRoot}: it is not in the executable; add it with include or run seabuild trace`), { code: 'MODULE_NOT_FOUND' });
    },
  };
}

let importer: ((specifier: string) => Promise<unknown>) | undefined;

/** import() through Node's default ESM loader. A SEA's main script may import() only builtins on Node 26
 * (ERR_UNKNOWN_BUILTIN_MODULE, measured on 26.10); a vm script with USE_MAIN_CONTEXT_DEFAULT_LOADER may import any file. */
function loaderImport(specifier: string): Promise<unknown> {
  if (!importer) {
    const vm = process.getBuiltinModule('node:vm');
    // Its ExperimentalWarning (at the first import) is the runtime's, not the app's: plain node prints none.
    const emitWarning = process.emitWarning;
    process.emitWarning = function (warning: string | Error, ...rest: any[]) {
      if (!String((warning as Error)?.message ?? warning).includes('USE_MAIN_CONTEXT_DEFAULT_LOADER')) emitWarning.call(process, warning, ...rest);
    } as typeof process.emitWarning;
    importer = new vm.Script('(specifier) => import(specifier)', { importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER }).runInThisContext();
  }
  return importer!(specifier);
}

/**
 * An ES module by Node's rule for a file it runs or imports: `.mjs`, or `.js` whose package scope
 * says "type": "module". The scope is the nearest package.json upwards, never one of a node_modules
 * folder itself, and the search ends there (Node's getPackageScopeConfig). Reads go through fs, so a
 * tree path answers from the tree.
 */
export function isEsModule(file: string): boolean {
  if (file.endsWith('.mjs')) return true;
  if (!file.endsWith('.js')) return false;
  const fs = process.getBuiltinModule('node:fs');
  for (let dir = path.dirname(file); path.basename(dir) !== 'node_modules'; dir = path.dirname(dir)) {
    let text: string | undefined;
    try { text = fs.readFileSync(path.join(dir, 'package.json'), 'utf8'); } catch { /* none here: look upwards */ }
    if (text !== undefined) {
      try { return JSON.parse(text).type === 'module'; } catch { return false; }
    }
    if (path.dirname(dir) === dir) break;
  }
  return false;
}

function findPackageRoot(req: Require, dir: string): string {
  for (let at = dir; ; at = path.dirname(at)) {
    try { req.resolve(path.join(at, 'package.json')); return at; } catch { /* keep looking upwards */ }
    if (path.dirname(at) === at) return dir;
  }
}
