// From what a traced run opened to `include` globs: one exact path per file a package read or loaded
// that the build does not already carry, and `folder/*` for each folder it listed.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { packageOf } from '../../runtime-stubs/vfs/tree.ts';
import { packageDirOf, treePathOf } from '../bundle/tree-paths.ts';

/** One line of the recorder's output. */
export interface TraceEvent {
  kind: 'read' | 'list' | 'load';
  file: string;
}

const ignored = /^(dist|\.git|node_modules\/\.bin|node_modules\/\.cache)(\/|$)|^node_modules\/\.package-lock\.json$|^(package\.json|seabuild\.config\.\w+|package-lock\.json)$/;

/**
 * The include entries (package name, or '.' for the app → globs) for the events. `carried` holds
 * absolute paths the build already carries; `bundledPackages` the folders of packages esbuild bundled,
 * whose modules plain Node may load from other files (an `import` condition's .mjs) than the bundle.
 */
export function includesFromEvents(events: TraceEvent[], root: string, carried: Set<string>, bundledPackages: Set<string>): Record<string, string[]> {
  const include: Record<string, Set<string>> = {};
  // Node's CommonJS loader reads a module through fs.readFileSync: that read is the load's, not data.
  const loaded = new Set(events.filter((e) => e.kind === 'load').map((e) => e.file));
  for (const event of events) {
    const treePath = treePathOf(event.file, root);
    if (treePath === undefined || ignored.test(treePath) || !existsSync(event.file)) continue;
    const isDir = statSync(event.file).isDirectory();
    if (event.kind === 'list' ? !isDir : isDir) continue;
    if (event.kind === 'list' ? allCarried(event.file, carried) : carried.has(event.file)) continue;
    const packageDir = packageDirOf(event.file, root);
    // A script of a bundled package that was only loaded is in the bundle; one read as text (browser-sync-ui
    // serves its own client scripts) is data the build must carry.
    if (event.kind !== 'list' && /\.(c|m)?[jt]s$/.test(event.file) && bundledPackages.has(packageDir) && loaded.has(event.file)) continue;
    const inPackage = relative(packageDir, event.file).split(sep).join('/');
    if (packageDir !== root && inPackage === 'package.json') continue; // carried with any file of its package
    const key = packageDir === root ? '.' : packageOf(treePath);
    (include[key] ??= new Set()).add(event.kind === 'list' ? (inPackage === '' ? '*' : `${inPackage}/*`) : inPackage);
  }
  return Object.fromEntries(Object.entries(include).sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => [k, [...v].sort()]));
}

/** `a` and `b` together, each list sorted and without duplicates. */
export function mergeIncludes(a: Record<string, string[]>, b: Record<string, string[]>): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const key of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) out[key] = [...new Set([...(a[key] ?? []), ...(b[key] ?? [])])].sort();
  return out;
}

function allCarried(dir: string, carried: Set<string>): boolean {
  return readdirSync(dir, { withFileTypes: true }).every((e) => !e.isFile() || carried.has(join(dir, e.name)));
}
