// ES modules of the tree for Node's ESM loader. An ES module a package imports at run time (a
// formatter's plugin `import()`ed by a computed path) is loaded by Node's ESM loader, which reads the
// disk through internal bindings no fs patch reaches (ERR_MODULE_NOT_FOUND, measured on 22 and 24).
// module.registerHooks (Node 22.15+, 23.5+; synchronous, in-thread) lets the tree answer: resolve
// maps specifiers made from a tree module (or naming a tree path) to the tree, load returns the
// bytes from memory. require() keeps its own path (Module._resolveFilename, modules.ts). With the
// tree laid out on disk (the image) only the builtin watcher is installed: Node reads the real files.
import type { Tree } from './tree.ts';
import { resolveInTree } from './resolve.ts';
import { applyFor } from './lazy-patches.ts';

const Module = process.getBuiltinModule('node:module') as any;
const path = process.getBuiltinModule('node:path');
const url = process.getBuiltinModule('node:url');

const importConditions = ['node', 'import', 'module-sync', 'default'];

/** Installs the hooks when this Node has module.registerHooks; returns whether it did. */
export function hookEsm(tree: Tree, read: (rel: string) => Buffer): boolean {
  if (typeof Module.registerHooks !== 'function') return false;
  const inTree = (abs: string | undefined): boolean => abs !== undefined && tree.relative(abs) !== undefined;
  const fileOf = (value: string | undefined): string | undefined => (value?.startsWith('file:') ? url.fileURLToPath(value) : undefined);
  Module.registerHooks({
    resolve(specifier: string, context: { parentURL?: string; conditions?: string[] }, next: (s: string, c: unknown) => unknown) {
      // An ES module importing a builtin gets its exports as they are now: patches waiting for it go first.
      if (Module.isBuiltin(specifier)) applyFor(specifier);
      if (context.conditions?.includes('require') || Module.isBuiltin(specifier) || /^(node|data|https?):/.test(specifier)) return next(specifier, context);
      const parent = fileOf(context.parentURL);
      const direct = specifier.startsWith('file:') ? url.fileURLToPath(specifier) : path.isAbsolute(specifier) ? specifier : undefined;
      const fromDir = parent ? path.dirname(parent) : tree.root;
      const target = direct ?? (/^\.\.?(\/|$)/.test(specifier) ? path.resolve(fromDir, specifier) : undefined);
      // A relative path out of the tree from a module in it names no file of the app: not found, as node says.
      if (direct === undefined && target !== undefined && !inTree(target) && inTree(parent)) {
        throw Object.assign(new Error(`Cannot find module '${target}' imported from ${parent}`), { code: 'ERR_MODULE_NOT_FOUND', url: url.pathToFileURL(target).href });
      }
      // A path outside the tree is the real disk's; a bare name from outside the tree is not ours either.
      if (target !== undefined ? !inTree(target) : !inTree(parent)) return next(specifier, context);
      const found = resolveInTree(tree, read, direct ?? specifier, fromDir, importConditions);
      if (!found) return next(specifier, context);
      return { url: url.pathToFileURL(found).href, format: formatOf(tree, read, found), shortCircuit: true };
    },
    load(href: string, context: { format?: string }, next: (u: string, c: unknown) => unknown) {
      const abs = fileOf(href);
      const rel = abs === undefined ? undefined : tree.relative(abs);
      if (rel === undefined || tree.lookup(rel)?.type !== 'file') return next(href, context);
      const format = context.format ?? formatOf(tree, read, abs!);
      // CommonJS is left to the CommonJS loader (its own resolver and the fs patch serve it).
      if (format === 'commonjs' || format === 'addon') return next(href, { ...context, format });
      return { format, source: read(rel), shortCircuit: true };
    },
  });
  return true;
}

/**
 * With the tree laid out on disk (the image) Node's loaders read the real files, so the one hook left
 * is the watcher: an ES module importing a builtin gets it patched first (lazy-patches.ts), instead
 * of every patch being applied, and its builtin loaded, at start. Returns whether it is installed.
 */
export function watchBuiltinImports(): boolean {
  if (typeof Module.registerHooks !== 'function') return false;
  Module.registerHooks({
    resolve(specifier: string, context: unknown, next: (s: string, c: unknown) => unknown) {
      if (Module.isBuiltin(specifier)) applyFor(specifier);
      return next(specifier, context);
    },
  });
  return true;
}

/** What Node would take a tree file for: a script the build bundled is CommonJS; else by extension, then the nearest package.json "type". */
export function formatOf(tree: Tree, read: (rel: string) => Buffer, abs: string): string {
  const node = tree.lookup(tree.relative(abs) ?? '');
  if (node?.type === 'file' && node.record.bundled) return 'commonjs';
  if (abs.endsWith('.mjs')) return 'module';
  if (abs.endsWith('.cjs')) return 'commonjs';
  // TypeScript, which Node runs by stripping its types (tree mode carries the app's .ts files as they are).
  if (abs.endsWith('.mts')) return 'module-typescript';
  if (abs.endsWith('.cts')) return 'commonjs-typescript';
  if (abs.endsWith('.ts')) return `${formatOf(tree, read, `${abs.slice(0, -3)}.js`)}-typescript`;
  if (abs.endsWith('.json')) return 'json';
  if (abs.endsWith('.wasm')) return 'wasm';
  if (abs.endsWith('.node')) return 'addon';
  for (let dir = path.dirname(abs); tree.relative(dir) !== undefined; dir = path.dirname(dir)) {
    const rel = tree.relative(path.join(dir, 'package.json'))!;
    if (tree.lookup(rel)?.type === 'file') {
      try { return JSON.parse(read(rel).toString('utf8')).type === 'module' ? 'module' : 'commonjs'; } catch { return 'commonjs'; }
    }
    if (dir === tree.root) break;
  }
  return 'commonjs';
}
