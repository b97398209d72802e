// The embedded tree as the runtime sees it: absolute paths under `root` → file records and
// directory listings. Directories are implied by the files (the manifest lists files only).
import type { TreeFileRecord, TreeManifest } from './manifest.ts';
import { leftOutSet } from './left-out.ts';

const path = process.getBuiltinModule('node:path');

/** A path under the root, found in the tree. */
export type TreeNode =
  | { type: 'file'; rel: string; record: TreeFileRecord }
  | { type: 'dir'; rel: string; names: string[] };

/** The tree's lookups; `rel` paths are relative to the root, '' being the root itself. */
export interface Tree {
  root: string;
  manifest: TreeManifest;
  /**
   * The path relative to the root when `abs` (already absolute and normalised) lies under it; or,
   * once the tree is mounted at a folder (mountAt), when `abs` lies under that folder and names a
   * file or folder of the tree there.
   */
  relative(abs: string): string | undefined;
  /**
   * Shows the tree's files also under `dir` (not `dir` itself), in front of the disk's: a service's
   * working directory, where its relative paths name the app's files (run-entry.ts). What the tree
   * has not is the disk's, written there.
   */
  mountAt(dir: string): void;
  /** `abs` as a path under the root when it is a mounted path of the tree (module identity: one path per module). */
  canonical(abs: string): string;
  lookup(rel: string): TreeNode | undefined;
  /** True for a path the build machine had (in the tree, or left out by the build: left-out.ts). */
  existedAtBuild(rel: string): boolean;
}

/** Indexes the manifest's files and their parent directories; `leftOut` gives the left-out set's bytes, asked for once at the first miss. */
export function createTree(manifest: TreeManifest, root: string, leftOut: () => Uint8Array | undefined = () => undefined): Tree {
  let wasLeftOut: ((rel: string) => boolean) | undefined;
  const dirs = new Map<string, Set<string>>([['', new Set()]]);
  for (const rel of Object.keys(manifest.files)) {
    let child = rel;
    for (let parent = parentOf(rel); ; parent = parentOf(parent)) {
      let names = dirs.get(parent);
      const exists = names !== undefined;
      if (!names) dirs.set(parent, (names = new Set()));
      names.add(child.slice(parent === '' ? 0 : parent.length + 1));
      if (exists || parent === '') break;
      child = parent;
    }
  }
  const prefix = root.endsWith('/') ? root : `${root}/`;
  const has = (rel: string): boolean => Object.hasOwn(manifest.files, rel) || dirs.has(rel);
  // The mount's prefix; undefined until mountAt: no cost on any path before, one prefix test after.
  let mounted: string | undefined;
  const relative = (abs: string): string | undefined => {
    if (abs === root) return '';
    if (abs.startsWith(prefix)) return abs.slice(prefix.length);
    if (mounted === undefined || !abs.startsWith(mounted)) return undefined;
    const rel = abs.slice(mounted.length);
    return rel !== '' && has(rel) ? rel : undefined;
  };
  return {
    root,
    manifest,
    relative,
    mountAt(dir) {
      mounted = dir === root || dir.startsWith(prefix) ? undefined : dir.endsWith('/') ? dir : `${dir}/`;
    },
    canonical(abs) {
      if (mounted === undefined || abs.startsWith(prefix) || !abs.startsWith(mounted)) return abs;
      const rel = relative(abs);
      return rel === undefined ? abs : prefix + rel;
    },
    lookup(rel) {
      const record = manifest.files[rel];
      if (record) return { type: 'file', rel, record };
      const names = dirs.get(rel);
      return names ? { type: 'dir', rel, names: [...names].sort() } : undefined;
    },
    existedAtBuild(rel) {
      if (rel in manifest.files || dirs.has(rel)) return true;
      wasLeftOut ??= leftOutSet(leftOut());
      return wasLeftOut(rel);
    },
  };
}

function parentOf(rel: string): string {
  const at = rel.lastIndexOf('/');
  return at < 0 ? '' : rel.slice(0, at);
}

/** The package a tree path belongs to (`node_modules/@img/sharp-linux-x64/lib/x.node` → `@img/sharp-linux-x64`), or `the app`. */
export function packageOf(rel: string): string {
  const at = rel.lastIndexOf('node_modules/');
  if (at < 0) return 'the app';
  const parts = rel.slice(at + 'node_modules/'.length).split('/');
  return parts[0]?.startsWith('@') ? `${parts[0]}/${parts[1] ?? ''}` : (parts[0] ?? rel);
}

/** Absolute, normalised form of a path argument given to fs (string, Buffer or file: URL); undefined for fds and others. */
export function pathArgument(value: unknown): string | undefined {
  if (typeof value === 'string') return path.resolve(value);
  if (Buffer.isBuffer(value)) return path.resolve(value.toString());
  if (value instanceof URL || (typeof value === 'object' && value !== null && 'href' in value && 'protocol' in value)) {
    const url = value as URL;
    if (url.protocol !== 'file:') return undefined;
    return path.resolve(process.getBuiltinModule('node:url').fileURLToPath(url));
  }
  return undefined;
}
