// Compressed bytes per component. A layer is compressed as one stream, so no component has a
// compressed size of its own; this gives each a share that is measured where it is cheap and
// fitted so that the shares of a layer add up to exactly its real compressed size:
// 1. every piece with a source is compressed alone with the layer's codec and level;
// 2. pieces without one (the node runtime) share what the layer's real size leaves (the residual),
//    by uncompressed bytes;
// 3. if nothing is left (or nothing is unmeasured), the measured sizes are scaled to the layer.
// Integer shares use the largest-remainder method, so sums are exact.
// gzip pieces are compressed as the layer is (block-parallel, gzip-chunked.ts); with a size cache, a
// piece whose bytes were measured before (same sha256, codec and level) is not compressed again.
import { createReadStream } from 'node:fs';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import zlib from 'node:zlib';
import { createChunkedGzip } from '../image/gzip-chunked.ts';
import type { SizeCache } from './size-cache.ts';
import type { Attribution } from './schema.ts';
import type { Codec, Piece, PieceSource } from './pieces.ts';


/** Each piece's compressed share and how it was found. */
export interface PieceShare {
  compressedBytes: number;
  attribution: Attribution;
}

/** Shares of `layerCompressedBytes` for the pieces of one layer (same order). */
export async function attributeLayer(pieces: readonly Piece[], layerCompressedBytes: number, codec: Codec, sizes?: SizeCache): Promise<PieceShare[]> {
  const measured = await measurePieces(pieces, codec, sizes);
  const measuredSum = measured.reduce<number>((n, m) => n + (m.bytes ?? 0), 0);
  const residualIndexes = measured.flatMap((m, i) => (m.bytes === null ? [i] : []));
  const residual = layerCompressedBytes - measuredSum;
  if (residualIndexes.length > 0 && residual >= 0) {
    const shares = apportion(residual, residualIndexes.map((i) => pieces[i]!.sizeBytes));
    return measured.map((m, i) => m.bytes !== null
      ? { compressedBytes: m.bytes, attribution: m.how }
      : { compressedBytes: shares[residualIndexes.indexOf(i)]!, attribution: 'residual' });
  }
  const scaled = apportion(layerCompressedBytes, measured.map((m) => m.bytes ?? 0));
  return measured.map((m, i) => ({ compressedBytes: scaled[i]!, attribution: m.bytes === null ? 'residual' : m.how }));
}

interface Measurement { bytes: number | null; how: Attribution }

/** Compresses each measurable piece alone; parts of one file (the bundle) get a share of the file's size. */
async function measurePieces(pieces: readonly Piece[], codec: Codec, sizes: SizeCache | undefined): Promise<Measurement[]> {
  const measure = (source: NonNullable<PieceSource>) => (sizes ? sizes.measure(source, codec, compressedSize) : compressedSize(source, codec));
  const splitTotals = new Map<string, number>();
  for (const piece of pieces) {
    if (piece.splitOf && !splitTotals.has(piece.splitOf.key)) splitTotals.set(piece.splitOf.key, await measure(piece.splitOf.source));
  }
  const splitShares = new Map<string, number[]>();
  for (const key of splitTotals.keys()) {
    splitShares.set(key, apportion(splitTotals.get(key)!, pieces.filter((p) => p.splitOf?.key === key).map((p) => p.sizeBytes)));
  }
  // Two pieces at a time: the big ones keep both cores busy on their own; small ones overlap their file reads.
  const whole = await mapLimit(pieces, 2, async (piece) => (!piece.splitOf && piece.sizeBytes > 0 && piece.source ? measure(piece.source) : null));
  return pieces.map((piece, i): Measurement => {
    if (piece.splitOf) return { bytes: splitShares.get(piece.splitOf.key)!.shift()!, how: 'proportional' };
    if (piece.sizeBytes === 0) return { bytes: 0, how: 'measured' };
    if (piece.source) return { bytes: whole[i]!, how: 'measured' };
    return { bytes: null, how: 'residual' };
  });
}

async function mapLimit<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => { for (let i = next++; i < items.length; i = next++) results[i] = await work(items[i]!); };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** The size of `source` compressed alone with `codec`. */
export async function compressedSize(source: NonNullable<PieceSource>, codec: Codec): Promise<number> {
  let sizeBytes = 0;
  const counter = new Writable({ write(chunk: Buffer, _encoding, callback) { sizeBytes += chunk.byteLength; callback(); } });
  const input = 'path' in source ? createReadStream(source.path, { highWaterMark: 1 << 20 }) : Readable.from([Buffer.from(source.content)]);
  await pipeline(input, createCompressor(codec), counter);
  return sizeBytes;
}

function createCompressor(codec: Codec): NodeJS.ReadWriteStream {
  if (codec.compression === 'gzip') return createChunkedGzip({ level: codec.level });
  return zlib.createZstdCompress({ params: { [zlib.constants.ZSTD_c_compressionLevel]: codec.level } });
}

/**
 * Splits the integer `total` in proportion to `weights` (largest remainder): the parts are integers
 * that add up to exactly `total`. With all weights zero, the parts are as even as possible.
 */
export function apportion(total: number, weights: readonly number[]): number[] {
  if (weights.length === 0) return [];
  const sum = weights.reduce((n, w) => n + w, 0);
  const effective = sum > 0 ? weights : weights.map(() => 1);
  const effectiveSum = sum > 0 ? sum : weights.length;
  const exact = effective.map((w) => total * (w / effectiveSum));
  const parts = exact.map(Math.floor);
  let left = total - parts.reduce((n, p) => n + p, 0);
  const order = exact.map((x, i) => ({ i, remainder: x - Math.floor(x) })).sort((a, b) => b.remainder - a.remainder || a.i - b.i);
  for (const { i } of order) {
    if (left <= 0) break;
    parts[i]! += 1;
    left -= 1;
  }
  return parts;
}
