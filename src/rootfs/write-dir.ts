// The rootfs as real files on disk: for the smoke run's chroot and the Dockerfile.scratch context.
import { chmod, chown, copyFile, lchown, link, lstat, mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import { isAbsolute, join, relative, sep } from 'node:path';
import { SeabuildError } from '../errors.ts';
import type { Rootfs, RootfsEntry } from './types.ts';

/** How files get into the folder. */
export interface WriteDirOptions {
  /**
   * Files whose source lies below this folder are hard-linked instead of copied (a copy when the
   * link fails): the build's own outputs in its work folder, which nothing else writes. Their mode
   * and owner are then set on the shared inode, so never name a folder of files you did not make.
   */
  linkFilesBelow?: string;
}

/**
 * Writes every layer's entries below `dir`, later layers replacing earlier ones as on extraction.
 * Modes are set exactly (umask ignored); owners only when running as root (otherwise chown fails).
 */
export async function writeRootfsToDir(rootfs: Rootfs, dir: string, options: WriteDirOptions = {}): Promise<void> {
  await mkdir(dir, { recursive: true });
  const asRoot = process.getuid?.() === 0;
  const dirs: Array<Extract<RootfsEntry, { type: 'dir' }>> = [];
  for (const layer of rootfs.layers) {
    for (const entry of layer.entries) {
      const target = join(dir, entry.path);
      await checkNoSymlinkAbove(dir, entry.path);
      if (entry.type === 'dir') {
        await mkdir(target, { recursive: true });
        dirs.push(entry);
        continue;
      }
      await rm(target, { force: true, recursive: true });
      if (entry.type === 'symlink') {
        await symlink(entry.target, target);
        if (asRoot) await lchown(target, entry.uid, entry.gid);
        continue;
      }
      if ('path' in entry.source) await copyOrLink(entry.source.path, target, options.linkFilesBelow);
      else await writeFile(target, entry.source.content);
      await setModeAndOwner(target, entry, asRoot);
    }
  }
  // Directories last and deepest first, so a read-only directory does not stop its children being written.
  for (const entry of dirs.reverse()) await setModeAndOwner(join(dir, entry.path), entry, asRoot);
}

async function copyOrLink(source: string, target: string, linkFilesBelow: string | undefined): Promise<void> {
  const rel = linkFilesBelow === undefined ? '..' : relative(linkFilesBelow, source);
  const below = rel !== '' && rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel);
  if (below && (await link(source, target).then(() => true, () => false))) return;
  await copyFile(source, target);
}

async function setModeAndOwner(target: string, entry: { mode: number; uid: number; gid: number }, asRoot: boolean): Promise<void> {
  if (asRoot) await chown(target, entry.uid, entry.gid);
  // After chown: chown clears set-uid/set-gid bits.
  await chmod(target, entry.mode);
}

/** A parent inside `dir` that is a symlink would send the write outside the rootfs (an absolute target points at the host). */
async function checkNoSymlinkAbove(dir: string, path: string): Promise<void> {
  const parts = path.split('/').filter(Boolean).slice(0, -1);
  for (let i = 1; i <= parts.length; i++) {
    const parent = join(dir, ...parts.slice(0, i));
    const stats = await lstat(parent).catch(() => undefined);
    if (stats?.isSymbolicLink()) {
      throw new SeabuildError({
        code: 'ROOTFS_CONFLICT',
        message: `rootfs entry ${path} lies below the symlink /${parts.slice(0, i).join('/')}`,
        file: path,
        fix: 'put files only below real directories',
      });
    }
  }
}
