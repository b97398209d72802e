import { test } from 'node:test';
import assert from 'node:assert/strict';
import { packageLines, packageLinesFunction } from './package-lines.ts';

test('the lines where the bundle switches between app and package code, from esbuild\'s input comments', () => {
  const code = [
    'var __helper = 1;', // 1: esbuild's own
    '// node_modules/a/index.js', // 2
    'var require_a = 1;',
    '// node_modules/b/lib/b.js', // 4: still package code
    'var require_b = 2;',
    '// src/app.js', // 6
    '// a comment of the app, not an input',
    '// node_modules/c/c.js', // 8
    'x();',
  ].join('\n');
  assert.deepEqual(packageLines(code, ['node_modules/a/index.js', 'node_modules/b/lib/b.js', 'src/app.js', 'node_modules/c/c.js']), [2, 6, 8]);
  assert.deepEqual(packageLines('var a=1;', ['src/app.js']), [], 'minified: no markers');
  assert.equal(packageLinesFunction([2, 6]), '\nfunction __seabuild_package_lines() { return [2,6]; }\n');
});
