import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { apportion, attributeLayer, compressedSize } from './compressed.ts';
import { componentOf, type Piece } from './pieces.ts';

const codec = { compression: 'gzip' as const, level: 6 };
const piece = (id: string, content: Uint8Array | null, sizeBytes = content?.length ?? 0): Piece => ({
  component: componentOf(id, 'other', id), layer: 'app', sizeBytes, source: content ? { content } : null,
});

test('apportion: integer parts in proportion that add up to exactly the total', () => {
  const table: Array<[string, number, number[], number[]]> = [
    ['even split', 10, [1, 1], [5, 5]],
    ['largest remainder gets the odd byte', 10, [1, 1, 1], [4, 3, 3]],
    ['zero weights share evenly', 3, [0, 0], [2, 1]],
    ['a zero weight gets nothing', 7, [0, 5], [0, 7]],
    ['huge numbers keep their sum', 41_114_904, [108_512_048, 301_815, 22_560], [40_997_924, 114_030, 2_950]],
  ];
  for (const [description, total, weights, expected] of table) {
    const parts = apportion(total, weights);
    assert.equal(parts.reduce((n, p) => n + p, 0), total, description);
    if (description !== 'huge numbers keep their sum') assert.deepEqual(parts, expected, description);
  }
});

test('compressedSize is what gzip at the same level gives', async () => {
  const content = Buffer.from('hello '.repeat(5000));
  assert.equal(await compressedSize({ content }, codec), gzipSync(content, { level: 6 }).length);
});

test('attributeLayer: measured pieces keep their size, the unmeasured one takes the residual, the sum is the layer', async () => {
  const text = Buffer.from('all work and no play makes jack a dull boy\n'.repeat(2000));
  const noise = randomBytes(20_000);
  const pieces = [piece('text', text), piece('noise', noise), piece('node', null, 1_000_000)];
  const shares = await attributeLayer(pieces, 500_000, codec);
  assert.equal(shares[0]!.compressedBytes, gzipSync(text, { level: 6 }).length);
  assert.equal(shares[0]!.attribution, 'measured');
  assert.ok(shares[1]!.compressedBytes >= 20_000, 'random bytes do not compress');
  assert.equal(shares[2]!.attribution, 'residual');
  assert.equal(shares.reduce((n, s) => n + s.compressedBytes, 0), 500_000);
});

test('attributeLayer: without an unmeasured piece, measured sizes are scaled to the layer exactly', async () => {
  const pieces = [piece('a', Buffer.alloc(10_000, 1)), piece('b', randomBytes(5_000))];
  const shares = await attributeLayer(pieces, 4_321, codec);
  assert.equal(shares[0]!.compressedBytes + shares[1]!.compressedBytes, 4_321);
  assert.ok(shares[1]!.compressedBytes > shares[0]!.compressedBytes, 'random bytes keep the larger share');
});

test('attributeLayer: parts of one file split its measured size by their bytes', async () => {
  const bundle = Buffer.from('function f() { return 1; }\n'.repeat(1000));
  const splitOf = { key: 'bundle', source: { content: bundle } };
  const pieces: Piece[] = [
    { ...piece('js:app', null, 9_000), splitOf },
    { ...piece('npm:x', null, 18_000), splitOf },
    piece('node', null, 1_000_000),
  ];
  const shares = await attributeLayer(pieces, 300_000, codec);
  const whole = gzipSync(bundle, { level: 6 }).length;
  assert.equal(shares[0]!.compressedBytes + shares[1]!.compressedBytes, whole);
  assert.ok(Math.abs(shares[1]!.compressedBytes - 2 * shares[0]!.compressedBytes) <= 2);
  assert.equal(shares[0]!.attribution, 'proportional');
  assert.equal(shares[2]!.compressedBytes, 300_000 - whole);
});
