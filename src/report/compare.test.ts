import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compareReports } from './compare.ts';
import { renderDiff } from './text.ts';
import { renderMarkdown } from './markdown.ts';
import type { ReportComponent, SizeReport } from './schema.ts';

function component(id: string, uncompressedBytes: number, extra: Partial<ReportComponent> = {}): ReportComponent {
  return { id, kind: 'npm-package', group: 'javascript', name: id.replace(/^npm:/, ''), layer: 'app', uncompressedBytes, compressedBytes: Math.round(uncompressedBytes / 3), attribution: 'proportional', ...extra };
}

function report(version: string, components: ReportComponent[]): SizeReport {
  const uncompressedBytes = components.reduce((n, c) => n + c.uncompressedBytes, 0);
  const compressedBytes = components.reduce((n, c) => n + (c.compressedBytes ?? 0), 0);
  return {
    schemaVersion: 1, seabuildVersion: '0.1.0', app: { name: 'app', packageName: 'app', version }, sourceDateEpoch: 0, inputsDigest: `sha256:${version}`,
    node: { version: 'v24.21.0', binaryBytes: 1, strippedBytes: 1 }, executable: { path: 'dist/app', sizeBytes: 1, sha256: '', blobBytes: 1 }, image: null,
    layers: [{ name: 'app', digest: `sha256:${version}`, diffId: 'sha256:x', mediaType: 'm', compressedBytes, uncompressedBytes, fileCount: 1 }],
    totals: { compressedBytes, uncompressedBytes }, components,
  };
}

const older = report('1.0.0', [
  component('node-runtime', 1_000_000),
  component('npm:left-pad', 900, { package: { source: 'npm', name: 'left-pad', version: '1.0.0' } }),
  component('assets', 500, { kind: 'assets', files: [{ path: 'a.css', sizeBytes: 300 }, { path: 'b.png', sizeBytes: 200 }] }),
  component('npm:gone', 100),
]);
const newer = report('1.1.0', [
  component('node-runtime', 1_000_000),
  component('npm:left-pad', 900, { package: { source: 'npm', name: 'left-pad', version: '1.0.1' } }),
  component('assets', 1_734, { kind: 'assets', files: [{ path: 'a.css', sizeBytes: 300 }, { path: 'b.png', sizeBytes: 150 }, { path: 'c.txt', sizeBytes: 1_284 }] }),
  component('npm:ms', 3_024),
]);

test('compareReports names added, removed, grown and changed components with exact deltas', () => {
  const diff = compareReports(older, newer);
  const byId = new Map(diff.components.map((c) => [c.id, c]));
  assert.equal(byId.get('npm:ms')?.status, 'added');
  assert.equal(byId.get('npm:ms')?.uncompressed.deltaBytes, 3_024);
  assert.equal(byId.get('npm:ms')?.uncompressed.deltaPercent, null);
  assert.equal(byId.get('npm:gone')?.status, 'removed');
  assert.equal(byId.get('assets')?.status, 'grown');
  assert.equal(byId.get('assets')?.uncompressed.deltaBytes, 1_234);
  assert.deepEqual(byId.get('assets')?.files.map((f) => [f.path, f.status, f.change.deltaBytes]), [['b.png', 'shrunk', -50], ['c.txt', 'added', 1_284]]);
  assert.equal(byId.get('npm:left-pad')?.status, 'changed', 'same size, new version');
  assert.deepEqual(byId.get('npm:left-pad')?.version, { old: '1.0.0', new: '1.0.1' });
  assert.equal(byId.has('node-runtime'), false);
  assert.equal(diff.unchangedComponents, 1);
  assert.equal(diff.totals.uncompressed.deltaBytes, 3_024 + 1_234 - 100);
  assert.deepEqual(diff.components.map((c) => c.id), ['npm:ms', 'assets', 'npm:gone', 'npm:left-pad'], 'largest change first');
});

test('renderDiff and renderMarkdown name every change with its exact byte count', () => {
  const diff = compareReports(older, newer);
  const text = renderDiff(diff);
  assert.match(text, /GREW[\s\S]*ms\s+added\s+npm-package\s+\+3,024 B\s+new/);
  assert.match(text, /c\.txt\s+added\s+\+1,284 B/);
  assert.match(text, /SHRANK[\s\S]*gone\s+removed/);
  assert.match(text, /left-pad 1\.0\.0 → 1\.0\.1\s+changed/);
  const markdown = renderMarkdown(newer, older);
  assert.match(markdown, /\| added \| ms \| \+3,024 B \| new \|/);
  assert.match(markdown, /\| added \| ↳ `c\.txt` \| \+1,284 B \| new \| \|/);
});
