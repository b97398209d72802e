// Compressed blocks kept between builds (gzip-chunked.ts), one file per block named by its key (the
// sha256 of level, dictionary and input), under the cache folder. Each layer has its own folder;
// after the layer is written, blocks it did not use are removed, so the folder holds one layer's
// worth (the app layer: ~56 MB for kitteh). A block that cannot be read is compressed again: the
// cache can only make a build faster, never change its bytes.
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Compressed blocks by key. */
export interface BlockCache {
  get(key: string): Promise<Buffer | undefined>;
  put(key: string, bytes: Buffer): Promise<void>;
  /** Removes every block this cache did not get or put since it was opened. */
  prune(): Promise<void>;
  /** Blocks found / compressed since it was opened. */
  readonly stats: { hits: number; misses: number };
}

/** Opens (creating) the block cache folder `dir`. */
export async function openBlockCache(dir: string): Promise<BlockCache> {
  await mkdir(dir, { recursive: true });
  const used = new Set<string>();
  const stats = { hits: 0, misses: 0 };
  return {
    stats,
    async get(key) {
      try {
        const bytes = await readFile(join(dir, key));
        used.add(key);
        stats.hits += 1;
        return bytes;
      } catch {
        stats.misses += 1;
        return undefined;
      }
    },
    async put(key, bytes) {
      used.add(key);
      const temp = join(dir, `.${key}.${randomBytes(4).toString('hex')}`);
      try {
        await writeFile(temp, bytes);
        await rename(temp, join(dir, key));
      } catch {
        await rm(temp, { force: true });
      }
    },
    async prune() {
      for (const name of await readdir(dir).catch(() => [])) {
        if (!used.has(name) && !name.startsWith('.')) await rm(join(dir, name), { force: true });
      }
    },
  };
}
