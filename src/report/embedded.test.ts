import { test } from 'node:test';
import assert from 'node:assert/strict';
import { treeFilePiece } from './embedded.ts';
import { formatCount } from './format.ts';

test('a tree file outside node_modules is the app\'s own, not an npm package named after its folder', () => {
  const views = treeFilePiece('views/index.ejs', '/app/views/index.ejs', 10, null, false).component;
  assert.equal(views.package, undefined);
  assert.equal(views.name, 'views/ (app files)');
  const data = treeFilePiece('data.json', '/app/data.json', 10, null, false).component;
  assert.equal(data.name, 'data.json (app file)');
  const pkg = treeFilePiece('node_modules/ejs/lib/ejs.js', '/app/node_modules/ejs/lib/ejs.js', 10, null, false).component;
  assert.deepEqual(pkg.package, { source: 'npm', name: 'ejs' });
});

test('counts agree with their noun', () => {
  assert.equal(formatCount(1, 'file'), '1 file');
  assert.equal(formatCount(2, 'file'), '2 files');
  assert.equal(formatCount(1, 'shared library', 'shared libraries'), '1 shared library');
  assert.equal(formatCount(0, 'file'), '0 files');
});
