import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import type { Metafile } from 'esbuild';
import { bundlePieces, SEABUILD_ROOT } from './javascript.ts';

test('bundlePieces: app code, each npm package (innermost, scoped, with version), seabuild runtime and glue add up to the bundle', async (t) => {
  const root = await mkdtemp(join(tmpdir(), 'seabuild-report-js-'));
  t.after(() => rm(root, { recursive: true, force: true }));
  // The versions come from the bundle artifact, not from the disk.
  const packageVersions = { 'node_modules/ms': '2.1.3', 'node_modules/a/node_modules/@scope/b': '1.0.0' };
  const runtime = relative(root, join(SEABUILD_ROOT, 'runtime-stubs/index.ts'));
  const inputs = { 'src/main.ts': 100, 'node_modules/ms/index.js': 300, 'node_modules/a/node_modules/@scope/b/x.js': 50, [runtime]: 200, '(disabled):fs': 5 };
  const metafile = {
    inputs: {},
    outputs: { 'out.cjs': { bytes: 700, inputs: Object.fromEntries(Object.entries(inputs).map(([k, v]) => [k, { bytesInOutput: v }])), imports: [], exports: [], entryPoint: 'src/main.ts' } },
  } as unknown as Metafile;
  const pieces = bundlePieces({ path: join(root, 'out.cjs'), sizeBytes: 700, metafile, root, layer: 'app', packageVersions });
  const sums = new Map<string, number>();
  for (const piece of pieces) sums.set(piece.component.id, (sums.get(piece.component.id) ?? 0) + piece.sizeBytes);
  assert.deepEqual(Object.fromEntries(sums), { 'js:glue': 50, 'npm:@scope/b': 50, 'npm:ms': 300, 'js:seabuild-runtime': 200, 'js:app': 100 });
  assert.deepEqual(pieces.find((p) => p.component.id === 'npm:ms')?.component.package, { source: 'npm', name: 'ms', version: '2.1.3' });
  assert.equal(pieces.find((p) => p.component.id === 'js:seabuild-runtime')?.file?.path, 'seabuild/runtime-stubs/index.ts');
  assert.ok(pieces.every((p) => p.splitOf?.key === 'bundle'));
});
