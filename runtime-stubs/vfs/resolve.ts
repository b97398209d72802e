// Node's CommonJS resolution (modules.md "All together"), over the embedded tree: relative and
// absolute paths with the usual extensions and index files, node_modules lookup upwards from the
// requiring module, package.json "main" and "exports" (conditions node/require/default, subpath
// patterns). Node's own resolver stats the real disk through internal bindings, so it cannot see
// the tree: this one is what Module._resolveFilename consults for modules inside it.
import type { Tree } from './tree.ts';

const path = process.getBuiltinModule('node:path');

const extensions = ['.js', '.json', '.node', '.cjs'];
const conditions = new Set(['node', 'require', 'module-sync', 'default']);

/** Resolves `request` from `fromDir` (absolute, under the root) to an absolute file path, or undefined. */
export function resolveInTree(tree: Tree, read: (rel: string) => Buffer, request: string, fromDir: string, conditionList?: string[]): string | undefined {
  const active = conditionList ? new Set(conditionList) : conditions;
  const isFile = (abs: string): boolean => { const rel = tree.relative(abs); return rel !== undefined && tree.lookup(rel)?.type === 'file'; };
  const isDir = (abs: string): boolean => { const rel = tree.relative(abs); return rel !== undefined && tree.lookup(rel)?.type === 'dir'; };
  const packageJson = (dir: string): Record<string, any> | undefined => {
    const file = path.join(dir, 'package.json');
    if (!isFile(file)) return undefined;
    try { return JSON.parse(read(tree.relative(file)!).toString('utf8')); } catch { return undefined; }
  };
  const asFile = (abs: string): string | undefined => {
    if (isFile(abs)) return abs;
    for (const ext of extensions) if (isFile(abs + ext)) return abs + ext;
    return undefined;
  };
  const asDir = (abs: string): string | undefined => {
    const main = packageJson(abs)?.main;
    if (typeof main === 'string') {
      const target = path.resolve(abs, main);
      const found = asFile(target) ?? asIndex(target);
      if (found) return found;
    }
    return asIndex(abs);
  };
  const asIndex = (abs: string): string | undefined => {
    for (const ext of extensions) if (isFile(path.join(abs, `index${ext}`))) return path.join(abs, `index${ext}`);
    return undefined;
  };
  const asFileOrDir = (abs: string): string | undefined => asFile(abs) ?? (isDir(abs) ? asDir(abs) : undefined);

  if (request.startsWith('file:')) request = process.getBuiltinModule('node:url').fileURLToPath(request);
  // A module has one path: the tree's, also when it is named through the working directory's mount (tree.ts mountAt).
  fromDir = tree.canonical(fromDir);
  if (path.isAbsolute(request) || /^\.\.?(\/|$)/.test(request)) return asFileOrDir(tree.canonical(path.resolve(fromDir, request)));
  // package.json "imports" (`#name`, PACKAGE_IMPORTS_RESOLVE): the map of the nearest package.json above the module.
  if (request.startsWith('#')) {
    for (let dir = fromDir; tree.relative(dir) !== undefined; dir = path.dirname(dir)) {
      const scope = packageJson(dir);
      if (scope) {
        const target = matchImports(scope.imports, request, active);
        if (target === undefined) return undefined;
        return /^\.\.?\//.test(target) ? asFile(path.resolve(dir, target)) : resolveInTree(tree, read, target, dir, conditionList);
      }
      if (dir === tree.root) break;
    }
    return undefined;
  }
  const { name, subpath } = splitSpecifier(request);
  for (let dir = fromDir; tree.relative(dir) !== undefined; dir = path.dirname(dir)) {
    const packageDir = path.join(dir, 'node_modules', name);
    if (path.basename(dir) !== 'node_modules' && isDir(packageDir)) {
      const exports = packageJson(packageDir)?.exports;
      if (exports !== undefined && exports !== null) {
        const target = matchExports(exports, subpath === '' ? '.' : `./${subpath}`, active);
        return target === undefined ? undefined : asFile(path.resolve(packageDir, target));
      }
      return subpath === '' ? asDir(packageDir) : asFileOrDir(path.join(packageDir, subpath));
    }
    if (dir === tree.root) break;
  }
  return undefined;
}

/** `@scope/name/sub/path` → name `@scope/name`, subpath `sub/path`. */
export function splitSpecifier(request: string): { name: string; subpath: string } {
  const parts = request.split('/');
  const count = request.startsWith('@') ? 2 : 1;
  return { name: parts.slice(0, count).join('/'), subpath: parts.slice(count).join('/') };
}

/** PACKAGE_EXPORTS_RESOLVE (esm.md) for the require conditions; returns a `./…` target or undefined. */
export function matchExports(exports: unknown, subpath: string, active: Set<string> = conditions): string | undefined {
  const isSubpathMap = typeof exports === 'object' && exports !== null && !Array.isArray(exports) && Object.keys(exports).some((k) => k.startsWith('.'));
  if (!isSubpathMap) return subpath === '.' ? pickTarget(exports, '', active) : undefined;
  return matchSubpathMap(exports as Record<string, unknown>, subpath, active);
}

/** PACKAGE_IMPORTS_RESOLVE: `#name` in a package.json "imports" map; returns its target or undefined. */
export function matchImports(imports: unknown, request: string, active: Set<string> = conditions): string | undefined {
  return typeof imports === 'object' && imports !== null && !Array.isArray(imports) ? matchSubpathMap(imports as Record<string, unknown>, request, active) : undefined;
}

/** PACKAGE_IMPORTS_EXPORTS_RESOLVE: an exact key, else the longest `*` pattern that matches. */
function matchSubpathMap(map: Record<string, unknown>, subpath: string, active: Set<string>): string | undefined {
  if (subpath in map && !subpath.includes('*')) return pickTarget(map[subpath], '', active);
  // The longest pattern prefix wins (PATTERN_KEY_COMPARE).
  const patterns = Object.keys(map).filter((k) => k.includes('*')).sort((a, b) => b.indexOf('*') - a.indexOf('*') || b.length - a.length);
  for (const key of patterns) {
    const [prefix, suffix = ''] = key.split('*') as [string, string?];
    if (subpath.startsWith(prefix) && subpath.endsWith(suffix) && subpath.length >= key.length - 1) {
      return pickTarget(map[key], subpath.slice(prefix.length, subpath.length - suffix.length), active);
    }
  }
  return undefined;
}

function pickTarget(target: unknown, star: string, active: Set<string>): string | undefined {
  if (typeof target === 'string') return target.replaceAll('*', star);
  if (Array.isArray(target)) {
    for (const item of target) { const found = pickTarget(item, star, active); if (found) return found; }
    return undefined;
  }
  if (typeof target === 'object' && target !== null) {
    for (const [condition, value] of Object.entries(target)) {
      if (!active.has(condition)) continue;
      const found = pickTarget(value, star, active);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}
