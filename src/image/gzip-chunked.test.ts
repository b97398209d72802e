import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { after, before, test } from 'node:test';
import zlib from 'node:zlib';
import { BLOCK_BYTES, createChunkedGzip } from './gzip-chunked.ts';
import { openBlockCache, type BlockCache } from './block-cache.ts';

let dir: string;
before(async () => { dir = await mkdtemp(join(tmpdir(), 'seabuild-gzip-test-')); });
after(() => rm(dir, { recursive: true, force: true }));

/** Compresses `input`, fed in pieces of `feedBytes`. */
async function gzipChunked(input: Buffer, feedBytes: number, cache?: BlockCache): Promise<Buffer> {
  const parts: Buffer[] = [];
  const feed = Array.from({ length: Math.ceil(input.byteLength / feedBytes) }, (_, i) => input.subarray(i * feedBytes, (i + 1) * feedBytes));
  await pipeline(Readable.from(feed), createChunkedGzip({ level: 6, ...(cache ? { cache } : {}) }), new Writable({ write(chunk: Buffer, _e, callback) { parts.push(chunk); callback(); } }));
  return Buffer.concat(parts);
}

/** Compressible, with long repeats across block ends (as in a binary), plus noise. */
function sample(bytes: number): Buffer {
  const phrase = 'the node runtime and the app, block after block; ';
  const text = Buffer.from(phrase.repeat(Math.ceil(bytes / phrase.length) + 1)).subarray(0, bytes);
  const noise = randomBytes(bytes);
  for (let i = 0; i < bytes; i += 4096) noise.copy(text, i, i, i + 512);
  return text;
}

test('gunzip gives the input back; one gzip member; the bytes do not depend on how the input was fed', async () => {
  const input = sample(3 * BLOCK_BYTES + 12_345);
  const a = await gzipChunked(input, 65_536);
  const b = await gzipChunked(input, 1_000_003);
  assert.deepEqual(zlib.gunzipSync(a), input);
  assert.deepEqual(a, b);
  assert.deepEqual(a.subarray(0, 10), Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3]));
  // The dictionary carries matches across blocks: within 0.1 % of zlib's single stream.
  assert.ok(a.byteLength < zlib.gzipSync(input, { level: 6 }).byteLength * 1.001);
});

test('up to one block it is zlib gzip itself (OS byte 3); empty input too', async () => {
  for (const input of [Buffer.alloc(0), sample(1000), sample(BLOCK_BYTES)]) {
    const expected = zlib.gzipSync(input, { level: 6 });
    expected[9] = 3;
    assert.deepEqual(await gzipChunked(input, 4096), expected, `${input.byteLength} bytes`);
  }
});

test('with a block cache: the same bytes, blocks reused on the next run, unused blocks pruned', async () => {
  const input = sample(4 * BLOCK_BYTES + 7);
  const plain = await gzipChunked(input, 65_536);
  const cacheDir = join(dir, 'blocks');
  const first = await openBlockCache(cacheDir);
  assert.deepEqual(await gzipChunked(input, 65_536, first), plain);
  await first.prune();
  assert.deepEqual(first.stats, { hits: 0, misses: 5 });
  const second = await openBlockCache(cacheDir);
  assert.deepEqual(await gzipChunked(input, 65_536, second), plain);
  assert.deepEqual(second.stats, { hits: 5, misses: 0 });
  // One block changed: that block and the next (whose dictionary changed) are compressed again.
  const changed = Buffer.from(input);
  changed[2 * BLOCK_BYTES - 10] = changed[2 * BLOCK_BYTES - 10]! ^ 0xff;
  const third = await openBlockCache(cacheDir);
  const output = await gzipChunked(changed, 65_536, third);
  await third.prune();
  assert.deepEqual(zlib.gunzipSync(output), changed);
  assert.deepEqual(third.stats, { hits: 3, misses: 2 });
  assert.equal((await readdir(cacheDir)).length, 5);
  const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
  assert.equal(sha(output), sha(await gzipChunked(changed, 65_536)));
});
