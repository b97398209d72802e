// Files under UPLOAD_DIR. An upload is assembled in `.staging/<token>/` and becomes visible with
// one rename of that folder to `images/<xx>/<token>/`, so a reader never sees half an image; on any
// failure the caller removes both paths and nothing is left behind. The uploaded bytes themselves
// never reach the disk (upload.ts keeps them in memory): they carry the EXIF (GPS) the renditions drop.
import { mkdir, open, readdir, rename, rm, stat } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import type { Rendition, RenditionName } from './resize.ts';

/** A rendition as stored: where, and how big. */
export interface StoredRendition {
  name: RenditionName;
  width: number;
  height: number;
  sizeBytes: number;
  contentType: string;
  /** Relative to UPLOAD_DIR. */
  path: string;
}

/** Where the upload with `token` is assembled. */
export function stagingDir(uploadDir: string, token: string): string {
  return join(uploadDir, '.staging', token);
}

/** The stored folder of `token`, relative to UPLOAD_DIR (two-character buckets keep folders small). */
export function imageDir(token: string): string {
  return join('images', token.slice(0, 2), token);
}

/** Writes the renditions durably into a fresh staging folder and moves the folder into place. */
export async function commitRenditions(uploadDir: string, token: string, renditions: Rendition[]): Promise<StoredRendition[]> {
  const staging = stagingDir(uploadDir, token);
  await mkdir(dirname(staging), { recursive: true });
  await mkdir(staging);
  const stored = await Promise.all(renditions.map(async ({ name, width, height, contentType, extension, data }): Promise<StoredRendition> => {
    const fileName = `${name}.${extension}`;
    await writeDurably(join(staging, fileName), data);
    return { name, width, height, sizeBytes: data.length, contentType, path: join(imageDir(token), fileName) };
  }));
  const finalDir = join(uploadDir, imageDir(token));
  await mkdir(dirname(finalDir), { recursive: true });
  await rename(staging, finalDir);
  await syncDirectory(dirname(finalDir));
  return stored;
}

/** Removes everything an upload with `token` may have written. */
export async function removeUpload(uploadDir: string, token: string): Promise<void> {
  await rm(stagingDir(uploadDir, token), { recursive: true, force: true });
  await rm(join(uploadDir, imageDir(token)), { recursive: true, force: true });
}

/** Resolves a stored relative path, refusing anything outside UPLOAD_DIR. */
export function resolveStored(uploadDir: string, path: string): string {
  const full = resolve(uploadDir, path);
  if (!full.startsWith(resolve(uploadDir) + sep)) throw new Error(`stored path escapes UPLOAD_DIR: ${path}`);
  return full;
}

/** Removes staging folders older than `maxAgeMs` (left by a crash mid-upload); returns how many. */
export async function sweepStaging(uploadDir: string, maxAgeMs: number, now = Date.now()): Promise<number> {
  const root = join(uploadDir, '.staging');
  const names = await readdir(root).catch(() => [] as string[]);
  let removed = 0;
  for (const name of names) {
    const info = await stat(join(root, name)).catch(() => undefined);
    if (info && now - info.mtimeMs > maxAgeMs) {
      await rm(join(root, name), { recursive: true, force: true });
      removed++;
    }
  }
  return removed;
}

/** Every file under UPLOAD_DIR, relative (for tests and `kitteh` diagnostics). */
export async function listStoredFiles(uploadDir: string): Promise<string[]> {
  const entries = await readdir(uploadDir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isFile()).map((e) => relative(uploadDir, join(e.parentPath, e.name))).sort();
}

// The upload answers only once its files are on disk, like the database row it points to.
async function writeDurably(path: string, data: Buffer): Promise<void> {
  const handle = await open(path, 'wx');
  try {
    await handle.writeFile(data);
    await handle.datasync();
  } finally {
    await handle.close();
  }
}

async function syncDirectory(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
