import { test } from 'node:test';
import assert from 'node:assert/strict';
import { matchExports, matchImports } from './resolve.ts';

test('matchImports: package.json "imports" as Node resolves them (chalk\'s #ansi-styles, patterns, conditions)', () => {
  const imports = {
    '#ansi-styles': './source/vendor/ansi-styles/index.js',
    '#supports-color': { node: './source/vendor/supports-color/index.js', default: './source/vendor/supports-color/browser.js' },
    '#internal/*.js': './src/internal/*.js',
    '#dep': 'some-package/sub',
  };
  const node = new Set(['node', 'import', 'default']);
  assert.equal(matchImports(imports, '#ansi-styles', node), './source/vendor/ansi-styles/index.js');
  assert.equal(matchImports(imports, '#supports-color', node), './source/vendor/supports-color/index.js');
  assert.equal(matchImports(imports, '#internal/a/b.js', node), './src/internal/a/b.js');
  assert.equal(matchImports(imports, '#dep', node), 'some-package/sub');
  assert.equal(matchImports(imports, '#missing', node), undefined);
  assert.equal(matchImports(undefined, '#ansi-styles', node), undefined);
  // The exports map keeps its own rules: a subpath map's keys start with '.'.
  assert.equal(matchExports({ '.': './index.js', './x/*': './lib/*.js' }, './x/y'), './lib/y.js');
});
