import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { leftOutPaths } from './left-out.ts';
import { encodeLeftOut, leftOutSet, packageExistedAtBuild } from '../../../runtime-stubs/vfs/left-out.ts';

test('left out: every file and folder under node_modules but the carried ones, no dot-names, no symlinked folders', () => {
  const root = mkdtempSync(join(tmpdir(), 'seabuild-left-out-'));
  try {
    for (const rel of ['node_modules/a/package.json', 'node_modules/a/data/x.txt', 'node_modules/a/node_modules/b/index.js', 'node_modules/.cache/tool/state', 'node_modules/@s/c/lib.js', 'src/main.js']) {
      mkdirSync(dirname(join(root, rel)), { recursive: true });
      writeFileSync(join(root, rel), '');
    }
    symlinkSync(root, join(root, 'node_modules/linked'));
    assert.deepEqual(leftOutPaths(root, [], new Set(['node_modules/a/package.json'])), [
      'node_modules/@s', 'node_modules/@s/c', 'node_modules/@s/c/lib.js', 'node_modules/a', 'node_modules/a/data', 'node_modules/a/data/x.txt',
      'node_modules/a/node_modules', 'node_modules/a/node_modules/b', 'node_modules/a/node_modules/b/index.js',
    ]);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('the encoded set answers membership; a package is found where Node would look for it', () => {
  const has = leftOutSet(encodeLeftOut(['node_modules/a/data/x.txt', 'node_modules/b/package.json', 'node_modules/a/node_modules/@s/c/package.json']));
  assert.equal(has('node_modules/a/data/x.txt'), true);
  assert.equal(has('node_modules/a/data/y.txt'), false);
  assert.equal(leftOutSet(undefined)('anything'), false);
  assert.equal(packageExistedAtBuild('b/lib/x', 'node_modules/a/lib', has), true);
  assert.equal(packageExistedAtBuild('@s/c', 'node_modules/a/lib', has), true);
  assert.equal(packageExistedAtBuild('@s/c', '', has), false);
  assert.equal(packageExistedAtBuild('absent', 'node_modules/a/lib', has), false);
});
