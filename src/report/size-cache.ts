// Compressed sizes of report pieces, kept between builds in one JSON file under the cache folder,
// keyed by codec, level and the sha256 of the bytes. Hashing a piece is ~20× faster than compressing
// it (kitteh: libvips 18.7 MB, PGlite 15.6 MB). Only the entries of the latest build are kept.
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { sha256File, sha256Hex } from '../sha256.ts';
import type { Codec, PieceSource } from './pieces.ts';

/** Looks a size up, or measures it and remembers it. */
export interface SizeCache {
  measure(source: NonNullable<PieceSource>, codec: Codec, compute: (source: NonNullable<PieceSource>, codec: Codec) => Promise<number>): Promise<number>;
  /** Writes the entries used since it was opened (a failure to write only loses the cache). */
  save(): Promise<void>;
}

/** Small pieces are measured directly: hashing them costs about as much. */
const MIN_CACHED_BYTES = 256 * 1024;

/** Opens the size cache stored at `path` (missing or unreadable: empty). */
export async function openSizeCache(path: string): Promise<SizeCache> {
  let known: Record<string, number> = {};
  try { known = JSON.parse(await readFile(path, 'utf8')) as Record<string, number>; } catch { /* starts empty */ }
  const used: Record<string, number> = {};
  return {
    async measure(source, codec, compute) {
      const bytes = 'content' in source ? source.content.byteLength : Infinity;
      if (bytes < MIN_CACHED_BYTES) return compute(source, codec);
      const key = `${codec.compression}-${codec.level}:${'content' in source ? sha256Hex(source.content) : await sha256File(source.path)}`;
      const size = typeof known[key] === 'number' ? known[key] : await compute(source, codec);
      used[key] = size;
      return size;
    },
    async save() {
      const temp = join(dirname(path), `.sizes-${randomBytes(4).toString('hex')}`);
      try {
        await mkdir(dirname(path), { recursive: true });
        await writeFile(temp, `${JSON.stringify(used)}\n`);
        await rename(temp, path);
      } catch { /* a cache */ }
    },
  };
}
