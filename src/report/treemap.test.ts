import { test } from 'node:test';
import assert from 'node:assert/strict';
import { layoutTreemap, squarify, type Rect } from './treemap.ts';

const area = (r: Rect): number => r.width * r.height;
const inside = (r: Rect, b: Rect): boolean => r.x >= b.x - 1e-6 && r.y >= b.y - 1e-6 && r.x + r.width <= b.x + b.width + 1e-6 && r.y + r.height <= b.y + b.height + 1e-6;
const overlap = (a: Rect, b: Rect): boolean => a.x + 1e-6 < b.x + b.width && b.x + 1e-6 < a.x + a.width && a.y + 1e-6 < b.y + b.height && b.y + 1e-6 < a.y + a.height;

test('squarify fills the bounds with areas proportional to the values, without overlap', () => {
  const bounds = { x: 10, y: 20, width: 600, height: 400 };
  const values = [6, 6, 4, 3, 2, 2, 1];
  const rects = squarify(values, bounds);
  const total = values.reduce((n, v) => n + v, 0);
  rects.forEach((r, i) => {
    assert.ok(Math.abs(area(r) - (values[i]! / total) * area(bounds)) < 1e-6, `area of ${i}`);
    assert.ok(inside(r, bounds), `rect ${i} inside`);
    for (let j = 0; j < i; j++) assert.ok(!overlap(r, rects[j]!), `rects ${i} and ${j} overlap`);
  });
  // The paper's example: the squarified layout keeps every aspect ratio under 3.
  for (const r of rects) assert.ok(Math.max(r.width / r.height, r.height / r.width) < 3);
});

test('layoutTreemap nests children inside their group, below its label, and drops empty nodes', () => {
  const tree = [
    { value: 0, data: 'system', children: [{ value: 30, data: 'libc' }, { value: 10, data: 'libm' }] },
    { value: 0, data: 'app', children: [{ value: 60, data: 'node' }, { value: 0, data: 'empty' }] },
  ];
  const placed = layoutTreemap(tree, { x: 0, y: 0, width: 1000, height: 500 }, { padding: 3, headerHeight: 18 });
  const names = placed.map((p) => p.data);
  assert.deepEqual(names, ['app', 'node', 'system', 'libc', 'libm']);
  const app = placed.find((p) => p.data === 'app')!;
  const node = placed.find((p) => p.data === 'node')!;
  assert.ok(inside(node, app));
  assert.equal(node.y, app.y + 3 + 18);
  assert.equal(node.depth, 1);
  assert.equal(app.isLeaf, false);
  assert.ok(Math.abs(area(app) - 0.6 * 500_000) < 1e-6);
});
