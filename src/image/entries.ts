// Rules every set of rootfs entries obeys before it becomes a tar layer or a directory on disk.
import { posix } from 'node:path';
import { SeabuildError } from '../errors.ts';
import type { RootfsEntry } from '../rootfs/index.ts';

/** Mode of a parent directory nobody listed (the mode `mkdir -p` and docker use). */
const IMPLICIT_DIR_MODE = 0o755;

/**
 * Checks paths (absolute, normalised, unique, never below a symlink or a file) and adds missing
 * parent directories, then sorts by path in byte order so parents precede children and the tar
 * is the same for the same set of entries however it was assembled. `lower` holds the entries of
 * the layers below: a missing parent copies its directory there (a layer's directory entry
 * replaces the lower one's mode and owner on extraction, so /tmp must stay 1777).
 */
export function normalizeEntries(entries: readonly RootfsEntry[], lower: readonly RootfsEntry[] = []): RootfsEntry[] {
  const byPath = new Map<string, RootfsEntry>();
  for (const entry of entries) {
    checkPath(entry.path);
    if (byPath.has(entry.path)) throw conflict(entry.path, 'is listed twice');
    byPath.set(entry.path, entry);
  }
  const lowerByPath = new Map(lower.map((entry) => [entry.path, entry]));
  for (const entry of entries) addParents(byPath, lowerByPath, entry.path);
  return [...byPath.values()].sort((a, b) => compareBytes(a.path, b.path));
}

/** Compares two strings by their UTF-8 bytes (tar and Go sort order, not locale order). */
export function compareBytes(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

/** The tar member name of an entry: relative, and directories end in `/` as GNU tar and docker write them. */
export function tarName(entry: RootfsEntry): string {
  const relative = entry.path.slice(1);
  return entry.type === 'dir' ? `${relative}/` : relative;
}

/** One line describing an entry, the same for a rootfs, a layer and an unpacked image (used to compare them). */
export function describeEntry(entry: { type: string; path: string; mode?: number; uid: number; gid: number; target?: string }): string {
  const mode = entry.type === 'symlink' ? '' : ` ${(entry.mode ?? 0).toString(8).padStart(4, '0')}`;
  const target = entry.type === 'symlink' ? ` -> ${entry.target}` : '';
  return `${entry.type}${mode} ${entry.uid}:${entry.gid} ${entry.path}${target}`;
}

function addParents(byPath: Map<string, RootfsEntry>, lower: Map<string, RootfsEntry>, path: string): void {
  for (let parent = posix.dirname(path); parent !== '/'; parent = posix.dirname(parent)) {
    const existing = byPath.get(parent) ?? lower.get(parent);
    if (existing === undefined) {
      byPath.set(parent, { type: 'dir', path: parent, mode: IMPLICIT_DIR_MODE, uid: 0, gid: 0 });
    } else if (existing.type === 'dir') {
      byPath.set(parent, existing);
    } else {
      // A tar member below a symlink would be written through it on extraction (a path traversal).
      throw conflict(path, `lies below ${parent}, which is a ${existing.type}, not a directory`);
    }
  }
}

function checkPath(path: string): void {
  if (!path.startsWith('/') || path === '/' || posix.normalize(path) !== path || path.endsWith('/')) {
    throw new SeabuildError({
      code: 'ROOTFS_PATH_INVALID',
      message: `rootfs path ${JSON.stringify(path)} is not an absolute, normalised path below /`,
      file: path,
      fix: 'give rootfs entries absolute paths without "..", "//" or a trailing slash',
    });
  }
}

function conflict(path: string, why: string): SeabuildError {
  return new SeabuildError({
    code: 'ROOTFS_CONFLICT',
    message: `rootfs entry ${path} ${why}`,
    file: path,
    fix: 'list each path once, and put files only below real directories',
  });
}

/** The error for a host file a rootfs entry names but that cannot be read. */
export function sourceUnreadable(path: string, cause: unknown): SeabuildError {
  return new SeabuildError({
    code: 'ROOTFS_SOURCE_UNREADABLE',
    message: `cannot read ${path} (${(cause as NodeJS.ErrnoException).code ?? 'error'})`,
    file: path,
    fix: 'check that the file exists and is readable by the build',
    cause,
  });
}

/** The error for a host file that is not the size it had when it was listed (it changed during the build). */
export function sourceChanged(path: string, writing: 'the layer' | 'the archive', expectedBytes: number, found: number | 'more'): SeabuildError {
  return new SeabuildError({
    code: 'ROOTFS_SOURCE_CHANGED',
    message: `${path} changed while ${writing} was written: expected ${expectedBytes} bytes, found ${found}`,
    file: path,
    fix: 'do not modify build inputs or outputs while seabuild runs, then build again',
  });
}
