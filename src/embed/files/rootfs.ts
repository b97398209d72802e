// The tree in the image: the files laid out under one folder at build time, loaded in place (the
// container runs --read-only with no tmpfs, and Docker mounts /tmp noexec, so nothing is extracted).
import { posix } from 'node:path';
import type { RootfsEntry } from '../../rootfs/index.ts';
import type { PackageFiles } from './types.ts';

/** Where the image lays out the tree of app `name` (FHS: a package's internal files under /usr/lib). */
export function defaultImageTreeRoot(name: string): string {
  return `/usr/lib/${name}`;
}

/** Rootfs entries (files only; parents are implied) for the tree under `root`, owned by `owner`. */
export function packageFilesRootfsEntries(files: PackageFiles, root: string, owner: { uid: number; gid: number } = { uid: 0, gid: 0 }): RootfsEntry[] {
  return files.files.map((f) => ({
    type: 'file',
    path: posix.join(root, f.treePath),
    mode: f.mode,
    uid: owner.uid,
    gid: owner.gid,
    source: { path: f.sourcePath },
    sizeBytes: f.sizeBytes,
  }));
}
