import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { outputFolderOf } from './output-folder.ts';
import { withApp } from '../../test/helpers/temp-app.ts';

const cases: Array<{ name: string; files: Record<string, string>; entry: string; expected: string | undefined }> = [
  { name: 'an entry in a folder the .gitignore names is build output: the highest ignored folder', files: { '.gitignore': '/.output\n', '.output/server/index.mjs': '' }, entry: '.output/server/index.mjs', expected: '.output' },
  { name: 'a pattern without a slash matches too (dist)', files: { '.gitignore': 'dist\n', 'dist/server/entry.mjs': '' }, entry: 'dist/server/entry.mjs', expected: 'dist' },
  { name: 'a source folder is not', files: { '.gitignore': '/build\n', 'src/main.js': '' }, entry: 'src/main.js', expected: undefined },
  { name: 'an entry at the app root is not', files: { '.gitignore': '*.log\n', 'server.js': '' }, entry: 'server.js', expected: undefined },
  { name: 'a package bin in node_modules is not (ignored, but installed, not built)', files: { '.gitignore': 'node_modules\n', 'node_modules/x/bin.js': '' }, entry: 'node_modules/x/bin.js', expected: undefined },
  { name: 'without a .gitignore nothing is build output', files: { 'build/index.js': '' }, entry: 'build/index.js', expected: undefined },
  {
    name: 'inside the ignored folder, the copy of the app made to run alone (its package name and a node_modules) is the output',
    files: { 'package.json': '{"name":"web"}', '.gitignore': '/.next/\n', '.next/standalone/package.json': '{"name":"web"}', '.next/standalone/node_modules/next/package.json': '{}', '.next/standalone/server.js': '', '.next/cache/big': '' },
    entry: '.next/standalone/server.js',
    expected: '.next/standalone',
  },
];

for (const c of cases) {
  test(`outputFolderOf: ${c.name}`, () => withApp(c.files, (root) => {
    assert.equal(outputFolderOf(root, join(root, c.entry)), c.expected === undefined ? undefined : join(root, c.expected));
  }));
}

test('outputFolderOf: only the app\'s own .gitignore counts, not that of a repository around it', () => withApp({
  '.gitignore': 'scratch/\n',
  'scratch/app/.gitignore': '/build\n',
  'scratch/app/src/main.js': '',
  'scratch/app/build/index.js': '',
}, (outer) => {
  execFileSync('git', ['init', '--quiet', outer]);
  const root = join(outer, 'scratch/app');
  assert.equal(outputFolderOf(root, join(root, 'src/main.js')), undefined);
  assert.equal(outputFolderOf(root, join(root, 'build/index.js')), join(root, 'build'));
}));
