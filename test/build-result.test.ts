// What build() returns names only files that exist once it has returned (issue 14): every string of
// the result that is a path under the temp folder — where the app copy, the build's work folder and
// here the output folder live — is opened and read; and the result has one shape for 1..n platforms.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { open, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build, type BuildResult } from '../src/index.ts';
import { copyFixture, removeFixture } from './helpers/fixture.ts';

let dir: string;
let result: BuildResult;

before(async () => {
  dir = await copyFixture('hello');
  result = await build({ cwd: dir, env: { SOURCE_DATE_EPOCH: '1700000000' }, sbom: 'spdx' });
});
after(() => removeFixture(dir));

/** Every string in `value` that is an absolute path below `root`, with where it was found (`platforms.0.executable.path`). */
function pathsBelow(value: unknown, root: string, at = ''): Array<{ at: string; path: string }> {
  if (typeof value === 'string') return value.startsWith(`${root}/`) ? [{ at, path: value }] : [];
  if (value === null || typeof value !== 'object' || ArrayBuffer.isView(value)) return [];
  return Object.entries(value).flatMap(([key, child]) => pathsBelow(child, root, at ? `${at}.${key}` : key));
}

test('every path of the result exists after build() returns, and can be read', async () => {
  const found = pathsBelow(result, tmpdir());
  const outputs = found.map((f) => f.at);
  for (const expected of ['platforms.0.executable.path', 'platforms.0.image.archive.path', 'platforms.0.reportPath', 'sboms.documents.0.path']) assert.ok(outputs.includes(expected), `the result names ${expected}`);
  for (const { at, path } of found) {
    const info = await stat(path).catch(() => undefined);
    assert.ok(info, `${at}: ${path} does not exist after build() returned`);
    if (info.isFile()) await (await open(path)).close();
  }
});

test('one shape for one platform and for several: per-platform outputs live in platforms[]', () => {
  assert.equal(result.platforms.length, 1);
  const [platform] = result.platforms;
  assert.equal(platform!.executable.path, join(dir, 'dist/hello-fixture'));
  assert.ok(platform!.verification, 'the smoke run ran');
  assert.equal(platform!.image!.layers.map((l) => l.name).join(','), 'system,app');
  for (const key of ['executable', 'image', 'report', 'previousReport']) assert.ok(!(key in result), `no top-level ${key} repeating the first platform's`);
});
