// Listing a package's files: everything a program could open, without nested dependencies and
// without what only developers read (docs, type declarations, source maps).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';

const developerOnly = /(^|\/)(README|CHANGELOG|HISTORY|AUTHORS|CONTRIBUTING)(\.[\w.]*)?$|\.(md|markdown|map|d\.ts|d\.cts|d\.mts|tsbuildinfo)$/i;
const scripts = /\.(c|m)?[jt]sx?$/;

/** Files under `dir` (absolute paths, sorted), skipping nested node_modules (unless `nested`), docs and maps (unless `developerFiles`); `dataOnly` also skips scripts. */
export function listFiles(dir: string, options: { dataOnly?: boolean; developerFiles?: boolean; nested?: boolean; match?: (rel: string) => boolean } = {}): string[] {
  const out: string[] = [];
  const walk = (at: string): void => {
    for (const entry of readdirSync(at, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const full = join(at, entry.name);
      const rel = relative(dir, full).split(sep).join('/');
      if (entry.isDirectory()) {
        if ((options.nested || entry.name !== 'node_modules') && entry.name !== '.git') walk(full);
      } else if ((entry.isFile() || entry.isSymbolicLink()) && (options.developerFiles || !developerOnly.test(rel)) && !(options.dataOnly && scripts.test(rel)) && (options.match?.(rel) ?? true)) {
        out.push(full);
      }
    }
  };
  if (existsSync(dir)) walk(dir);
  return out;
}

/** The folder of package `name` as Node would find it from `fromDir` (node_modules upwards), or undefined. */
export function findPackageDir(name: string, fromDir: string): string | undefined {
  for (let dir = fromDir; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return candidate;
    if (dirname(dir) === dir) return undefined;
  }
}

/** A package's runtime dependencies: `dependencies`, `optionalDependencies` and `peerDependencies` names. */
export function dependencyNames(packageDir: string): string[] {
  try {
    const pkg = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8'));
    return [...new Set([...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.optionalDependencies ?? {}), ...Object.keys(pkg.peerDependencies ?? {})])].sort();
  } catch {
    return [];
  }
}

/** A package's `optionalDependencies` names (where platform-specific binaries live). */
export function optionalDependencyNames(packageDir: string): string[] {
  try {
    return Object.keys(JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')).optionalDependencies ?? {}).sort();
  } catch {
    return [];
  }
}
