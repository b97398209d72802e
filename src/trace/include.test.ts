import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { includesFromEvents, mergeIncludes } from './include.ts';

test('reads, loads and listings become globs per package; what the build carries is left out', () => {
  const root = mkdtempSync(join(tmpdir(), 'seabuild-trace-'));
  try {
    for (const file of ['package.json', 'views/index.ejs', 'node_modules/ejs/package.json', 'node_modules/ejs/lib/ejs.js', 'node_modules/figlet/fonts/A.flf', 'node_modules/figlet/fonts/B.flf', 'node_modules/bundled/index.mjs', 'dist/app']) {
      mkdirSync(join(root, file, '..'), { recursive: true });
      writeFileSync(join(root, file), '');
    }
    const at = (rel: string): string => join(root, rel);
    const found = includesFromEvents([
      { kind: 'read', file: at('views/index.ejs') },
      { kind: 'load', file: at('node_modules/ejs/lib/ejs.js') },
      { kind: 'read', file: at('node_modules/ejs/package.json') },
      { kind: 'list', file: at('node_modules/figlet/fonts') },
      { kind: 'read', file: at('node_modules/figlet/fonts/A.flf') },
      { kind: 'load', file: at('node_modules/bundled/index.mjs') },
      { kind: 'read', file: at('package.json') },
      { kind: 'read', file: at('dist/app') },
      { kind: 'read', file: '/etc/hostname' },
      { kind: 'read', file: at('node_modules/gone.json') },
    ], root, new Set([at('node_modules/figlet/fonts/A.flf')]), new Set([at('node_modules/bundled')]));
    assert.deepEqual(found, { '.': ['views/index.ejs'], ejs: ['lib/ejs.js'], figlet: ['fonts/*'] });
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('merging keeps both sides, sorted, once', () => {
  assert.deepEqual(mergeIncludes({ ejs: ['lib/utils.js'], a: ['x'] }, { ejs: ['lib/ejs.js', 'lib/utils.js'] }), { a: ['x'], ejs: ['lib/ejs.js', 'lib/utils.js'] });
});
