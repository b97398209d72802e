// A layer as a value (go-containerregistry's v1.Layer): digests, sizes, media type and a way to
// open its bytes. The compressed bytes live in a content-addressed file, never in memory: the app
// layer holds the ~110 MB node binary.
import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable, Transform } from 'node:stream';
import zlib from 'node:zlib';
import type tar from 'tar-stream';
import { SeabuildError } from '../errors.ts';
import { createHashTap, digestHex } from './digest.ts';
import { createChunkedGzip } from './gzip-chunked.ts';
import { openBlockCache, type BlockCache } from './block-cache.ts';
import { normalizeEntries, tarName } from './entries.ts';
import { addTarEntry, checkSourceDateEpoch, READ_CHUNK_BYTES, writeTar } from './tar.ts';
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
  const uncompressed = createHashTap();
  const compressed = createHashTap();
  const cache = options.compression === 'gzip' && options.blockCacheDir ? await openBlockCache(options.blockCacheDir) : undefined;
  try {
    const addEntries = async (pack: tar.Pack) => {
      for (const entry of sorted) await addRootfsEntry(pack, entry, options.sourceDateEpoch);
    };
    // One pass: the tar is hashed (diffId), compressed, hashed again (digest) and written as it streams.
    await writeTar(addEntries, [uncompressed.stream, createCompressor(options, cache), compressed.stream, createWriteStream(temp)]);
    await cache?.prune();
    const blobPath = join(workDir, `${digestHex(compressed.result().digest)}.tar.${options.compression === 'gzip' ? 'gz' : 'zst'}`);
    await rename(temp, blobPath);
    return Object.freeze({
      digest: compressed.result().digest,
      diffId: uncompressed.result().digest,
      sizeBytes: compressed.result().sizeBytes,
      uncompressedBytes: uncompressed.result().sizeBytes,
      mediaType: LAYER_MEDIA_TYPES[options.compression],
      compression: options.compression,
      blobPath,
      entries: Object.freeze(sorted.flatMap((entry) => entry.type === 'file' ? [{ path: entry.path, sizeBytes: entry.sizeBytes }] : [])),
      open: () => createReadStream(blobPath, { highWaterMark: READ_CHUNK_BYTES }),
    });
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

async function addRootfsEntry(pack: tar.Pack, entry: RootfsEntry, sourceDateEpoch: number): Promise<void> {
  const header = { name: tarName(entry), uid: entry.uid, gid: entry.gid, mtime: new Date(sourceDateEpoch * 1000) };
  if (entry.type === 'dir') return addTarEntry(pack, { ...header, type: 'directory', mode: entry.mode });
  if (entry.type === 'symlink') return addTarEntry(pack, { ...header, type: 'symlink', mode: 0o777, linkname: entry.target });
  const body = 'content' in entry.source ? entry.source.content : entry.source.path;
  return addTarEntry(pack, { ...header, type: 'file', mode: entry.mode, size: entry.sizeBytes }, body);
}

function createCompressor(options: LayerOptions, cache: BlockCache | undefined): Transform {
  const level = options.level ?? DEFAULT_LEVELS[options.compression];
  if (options.compression === 'gzip') return createChunkedGzip({ level, ...(cache ? { cache } : {}) });
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
