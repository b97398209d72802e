// The runtime's line-at-a-time source map reader against node:module's SourceMap, on the map esbuild
// writes for a real bundle (seabuild's own CLI with its packages, tens of thousands of lines).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SourceMap } from 'node:module';
import { build } from 'esbuild';
import { LineMap } from './source-maps.ts';

test('LineMap finds what SourceMap finds on every mapped line, in any order of lookups', async () => {
  const result = await build({ entryPoints: ['src/cli.ts'], bundle: true, platform: 'node', format: 'esm', packages: 'bundle', external: ['esbuild', 'postject', '@vercel/nft', '@swc/wasm'], sourcemap: 'external', sourcesContent: false, write: false, outdir: 'out', logLevel: 'silent' });
  const raw = JSON.parse(result.outputFiles.find((file) => file.path.endsWith('.map'))!.text);
  const node = new SourceMap(raw);
  const ours = new LineMap(raw);
  const lines = raw.mappings.split(';');
  let compared = 0;
  // A fixed walk (no randomness): backwards, forwards and jumping, so lines are asked for before and after they were passed.
  for (let step = 0; step < 4000; step++) {
    const line = (step * 7919) % lines.length;
    const column = (step * 31) % 90;
    const entry = node.findEntry(line, column) as { originalSource?: string; originalLine?: number; originalColumn?: number; generatedLine?: number };
    // SourceMap falls back to the last mapping of an earlier line; the runtime leaves such a frame unmapped.
    if (!entry.originalSource || entry.generatedLine !== line) { assert.equal(ours.find(line, column), undefined, `line ${line} column ${column}`); continue; }
    assert.equal(ours.find(line, column), `${entry.originalSource}:${entry.originalLine! + 1}:${entry.originalColumn! + 1}`, `line ${line} column ${column}`);
    compared++;
  }
  assert.ok(compared > 1000, `${compared} mapped positions compared`);
  assert.equal(ours.find(lines.length + 10, 0), undefined);
});
