// Path resolution inside a root directory, the way the kernel resolves it after chroot(2):
// an absolute symlink target starts again at the root, not at the host's `/`. Every symlink met on
// the way is recorded, so an image can recreate the links that sonames and merged-/usr expect.

import { lstat, readlink } from 'node:fs/promises';
import { join } from 'node:path';
import { SeabuildError } from '../errors.ts';

/** One symlink as it sits in a filesystem: `path` is absolute within its root, `target` as readlink(2) returns it. */
export interface SymlinkEntry {
  path: string;
  target: string;
}

/** Where a rooted path really leads, and the symlinks crossed to get there. */
export interface ResolvedPath {
  /** Absolute within the root, with no symlinks and no `.`/`..` left. */
  realPath: string;
  symlinks: SymlinkEntry[];
}

// Linux gives up after 40 links in one lookup (path_resolution(7), MAXSYMLINKS).
const MAX_SYMLINK_HOPS = 40;

/** The host path of `path` (absolute within `root`). */
export function hostPathOf(root: string, path: string): string {
  return root === '/' ? path : join(root, path);
}

/**
 * Resolves `path` (absolute within `root`) component by component, like realpath(3) under chroot.
 * Returns undefined when a component does not exist or is not a directory.
 */
export async function resolveRooted(root: string, path: string): Promise<ResolvedPath | undefined> {
  const pending = splitPath(path);
  const resolved: string[] = [];
  const symlinks: SymlinkEntry[] = [];
  let hops = 0;
  while (pending.length > 0) {
    const part = pending.shift() as string;
    if (part === '.') continue;
    if (part === '..') { resolved.pop(); continue; }
    const current = `/${[...resolved, part].join('/')}`;
    const stats = await lstat(hostPathOf(root, current)).catch(ignoreMissing);
    if (!stats) return undefined;
    if (!stats.isSymbolicLink()) { resolved.push(part); continue; }
    hops += 1;
    if (hops > MAX_SYMLINK_HOPS) throw symlinkLoop(root, path);
    const target = await readlink(hostPathOf(root, current));
    symlinks.push({ path: current, target });
    if (target.startsWith('/')) resolved.length = 0;
    pending.unshift(...splitPath(target));
  }
  return { realPath: `/${resolved.join('/')}`, symlinks };
}

function splitPath(path: string): string[] {
  return path.split('/').filter((part) => part !== '');
}

function ignoreMissing(error: NodeJS.ErrnoException): undefined {
  if (error.code === 'ENOENT' || error.code === 'ENOTDIR') return undefined;
  throw error;
}

function symlinkLoop(root: string, path: string): SeabuildError {
  const file = hostPathOf(root, path);
  return new SeabuildError({
    code: 'LIB_SYMLINK_LOOP',
    message: `${file} crosses more than ${MAX_SYMLINK_HOPS} symlinks (a symlink loop)`,
    file,
    fix: 'Fix the symlinks on this path so that they lead to a real file.',
  });
}
