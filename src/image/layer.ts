// A layer as a value (go-containerregistry's v1.Layer): digests, sizes, media type and a way to
// open its bytes. The compressed bytes live in a content-addressed file, never in memory: the app
// layer holds the ~110 MB node binary.
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createReadStream } from 'node:fs';
import { mkdir, open, rename, rm, type FileHandle } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Writable, type Readable, type Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import zlib from 'node:zlib';
import { SeabuildError } from '../errors.ts';
import { writeAll } from '../file-chunks.ts';
import { createCountingHash, digestHex } from './digest.ts';
import { BLOCK_BYTES, createBlockDeflater, IN_FLIGHT } from './gzip-chunked.ts';
import { openBlockCache, type BlockCache } from './block-cache.ts';
import { normalizeEntries } from './entries.ts';
import { createBlockPool, forEachTarBlock } from './layer-tar.ts';
import { checkSourceDateEpoch, READ_CHUNK_BYTES } from './tar.ts';
import type { RootfsEntry } from '../rootfs/index.ts';

/** How a layer's tar is compressed. */
export type Compression = 'gzip' | 'zstd';

/** OCI image-spec media-types.md: the layer media types we write. */
export const LAYER_MEDIA_TYPES: Readonly<Record<Compression, string>> = {
  gzip: 'application/vnd.oci.image.layer.v1.tar+gzip',
  zstd: 'application/vnd.oci.image.layer.v1.tar+zstd',
};

/**
 * Default levels. Measured on node 24.21's 126.6 MB binary: gzip 6 → 45.7 MB in 3.5 s, gzip 9 →
 * 45.6 MB in 8.6 s; zstd 3 → 42.1 MB in 0.9 s, zstd 9 → 37.6 MB in 3.0 s, zstd 19 → 32.8 MB in 51 s.
 */
export const DEFAULT_LEVELS: Readonly<Record<Compression, number>> = { gzip: 6, zstd: 9 };

/** What `createLayer` needs besides the entries. */
export interface LayerOptions {
  compression: Compression;
  /** Seconds since 1970; every tar member's mtime (reproducible-builds.org SOURCE_DATE_EPOCH). */
  sourceDateEpoch: number;
  /** Compression level; defaults to DEFAULT_LEVELS. */
  level?: number;
  /** Where the compressed blob is kept, named by its digest; defaults to `<os tmpdir>/seabuild-layers`. */
  workDir?: string;
  /**
   * gzip only: a folder of compressed blocks kept for the next build of this layer (block-cache.ts).
   * The bytes are the same with or without it.
   */
  blockCacheDir?: string;
}

/** One image layer. Immutable; `open()` can be called any number of times. */
export interface Layer {
  /** `sha256:…` of the compressed bytes (the blob digest in the manifest). */
  readonly digest: string;
  /** `sha256:…` of the uncompressed tar (config.rootfs.diff_ids). */
  readonly diffId: string;
  /** Compressed size. */
  readonly sizeBytes: number;
  /** Size of the uncompressed tar. */
  readonly uncompressedBytes: number;
  readonly mediaType: string;
  readonly compression: Compression;
  /** The file holding the compressed bytes. */
  readonly blobPath: string;
  /** The regular files of the layer and their sizes, for the size report. */
  readonly entries: ReadonlyArray<{ readonly path: string; readonly sizeBytes: number }>;
  /** Streams the compressed bytes. */
  open(): Readable;
}

/** Writes `entries` as a deterministic, compressed tar and returns the layer describing it. */
export async function createLayer(entries: readonly RootfsEntry[], options: LayerOptions): Promise<Layer> {
  checkSourceDateEpoch(options.sourceDateEpoch);
  const sorted = normalizeEntries(entries);
  const workDir = options.workDir ?? join(tmpdir(), 'seabuild-layers');
  await mkdir(workDir, { recursive: true });
  const temp = join(workDir, `.layer-${randomBytes(6).toString('hex')}`);
  const out = await open(temp, 'w');
  try {
    const cache = options.compression === 'gzip' && options.blockCacheDir ? await openBlockCache(options.blockCacheDir) : undefined;
    // One pass: each block of the tar is hashed (diffId), compressed, hashed again (digest) and written.
    const written = options.compression === 'gzip'
      ? await writeGzipLayer(sorted, options, out, cache)
      : await writeStreamedLayer(sorted, options, out);
    await out.close();
    await cache?.prune();
    const blobPath = join(workDir, `${digestHex(written.digest)}.tar.${options.compression === 'gzip' ? 'gz' : 'zst'}`);
    await rename(temp, blobPath);
    return Object.freeze({
      ...written,
      mediaType: LAYER_MEDIA_TYPES[options.compression],
      compression: options.compression,
      blobPath,
      entries: Object.freeze(sorted.flatMap((entry) => entry.type === 'file' ? [{ path: entry.path, sizeBytes: entry.sizeBytes }] : [])),
      open: () => createReadStream(blobPath, { highWaterMark: READ_CHUNK_BYTES }),
    });
  } catch (error) {
    await out.close().catch(() => {});
    await rm(temp, { force: true });
    throw error;
  }
}

type WrittenLayer = Pick<Layer, 'digest' | 'diffId' | 'sizeBytes' | 'uncompressedBytes'>;

/**
 * gzip, block-parallel: up to IN_FLIGHT blocks deflate on the thread pool while the next ones are
 * read. Block i goes back to the pool once block i + 1 is written (it is that block's dictionary).
 */
async function writeGzipLayer(sorted: readonly RootfsEntry[], options: LayerOptions, out: FileHandle, cache: BlockCache | undefined): Promise<WrittenLayer> {
  const pool = createBlockPool(BLOCK_BYTES);
  const deflater = createBlockDeflater({ level: options.level ?? DEFAULT_LEVELS.gzip, ...(cache ? { cache } : {}) });
  const tar = createCountingHash();
  const blob = createCountingHash();
  const write = async (bytes: Uint8Array): Promise<void> => {
    blob.update(bytes);
    await writeAll(out, bytes);
  };
  const queue: Array<{ block: Buffer; compressed: Promise<Buffer> }> = [];
  let written: Buffer | undefined;
  const drain = async (keep: number): Promise<void> => {
    while (queue.length > keep) {
      const next = queue.shift()!;
      await write(await next.compressed);
      if (written) pool.give(written);
      written = next.block;
    }
  };
  await write(deflater.header);
  try {
    await forEachTarBlock(sorted, options.sourceDateEpoch, pool, async (block, final) => {
      tar.update(block);
      queue.push({ block, compressed: deflater.add(block, final) });
      await drain(IN_FLIGHT);
    });
    await drain(0);
  } finally {
    // A failure leaves deflates running on blocks still queued: let them settle before returning.
    await Promise.allSettled(queue.map((item) => item.compressed));
  }
  await write(deflater.trailer());
  return { digest: blob.digest(), diffId: tar.digest(), sizeBytes: blob.sizeBytes, uncompressedBytes: tar.sizeBytes };
}

/** zstd through node:zlib's stream (single-threaded: its output must not depend on a job split). */
async function writeStreamedLayer(sorted: readonly RootfsEntry[], options: LayerOptions, out: FileHandle): Promise<WrittenLayer> {
  const compressor = createZstdCompressor(options); // first: it throws on a Node without zstd
  const tar = createCountingHash();
  const blob = createCountingHash();
  // The compressor keeps the blocks it is given, so none is reused.
  const pool = createBlockPool(BLOCK_BYTES, { reuse: false });
  const blocks = new PassThrough({ highWaterMark: 4 * BLOCK_BYTES });
  const filled = forEachTarBlock(sorted, options.sourceDateEpoch, pool, async (block) => {
    tar.update(block);
    if (!blocks.write(block)) await once(blocks, 'drain');
  }).then(() => { blocks.end(); }, (error: unknown) => { blocks.destroy(error as Error); throw error; });
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      blob.update(chunk);
      writeAll(out, chunk).then(() => callback(), callback);
    },
  });
  const results = await Promise.allSettled([filled, pipeline(blocks, compressor, sink)]);
  const failure = results.find((result) => result.status === 'rejected');
  if (failure) throw failure.reason;
  return { digest: blob.digest(), diffId: tar.digest(), sizeBytes: blob.sizeBytes, uncompressedBytes: tar.sizeBytes };
}

function createZstdCompressor(options: LayerOptions): Transform {
  const level = options.level ?? DEFAULT_LEVELS.zstd;
  if (typeof zlib.createZstdCompress !== 'function') {
    throw new SeabuildError({
      code: 'ZSTD_UNAVAILABLE',
      message: `this Node.js (${process.version}) has no zstd in node:zlib`,
      fix: 'use gzip layers, or run seabuild with Node.js 22.15 / 23.8 or later',
    });
  }
  // Single-threaded (nbWorkers 0, the default): multi-threaded zstd output depends on the job split.
  return zlib.createZstdCompress({ params: { [zlib.constants.ZSTD_c_compressionLevel]: level } });
}
