import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join, relative } from 'node:path';
import { carriedScriptImports } from './carried-scripts.ts';
import { withApp } from '../../test/helpers/temp-app.ts';

test('carriedScriptImports: what the scripts of a carried folder import, transitively, as Node resolves it; builtins and missing names left out', async () => {
  await withApp({
    'package.json': '{"name":"app"}',
    // ESLint's shape: lib/cli-engine/formatters/stylish.js requires a sibling module of its package and a package.
    'node_modules/lint/lib/cli-engine/formatters/stylish.js': "const chalk = require('chalk'), util = require('node:util'), table = require(\"../../shared/text-table\");\n// require('not-installed')\n",
    'node_modules/lint/lib/cli-engine/formatters/esm.mjs': "import { path } from 'path';\nimport table from '../../shared/text-table.js';\nexport default () => import('../../shared/late.js');\n",
    'node_modules/lint/lib/shared/text-table.js': "module.exports = require('./strip');\n",
    'node_modules/lint/lib/shared/strip.js': 'module.exports = (s) => s;\n',
    'node_modules/lint/lib/shared/late.js': 'module.exports = 1;\n',
    'node_modules/chalk/package.json': '{"name":"chalk","main":"source/index.js"}',
    'node_modules/chalk/source/index.js': "module.exports = require('./styles.json');\n",
    'node_modules/chalk/source/styles.json': '{}',
  }, (root) => {
    const found = carriedScriptImports([{ path: join(root, 'node_modules/lint/lib/cli-engine/formatters'), kind: 'folder', from: join(root, 'node_modules/lint/lib/eslint.js'), line: 1 }], root);
    assert.deepEqual(found.map((r) => [relative(root, r.path), relative(root, r.from), r.kind]).sort(), [
      ['node_modules/chalk/source/index.js', 'node_modules/lint/lib/cli-engine/formatters/stylish.js', 'module'],
      ['node_modules/chalk/source/styles.json', 'node_modules/chalk/source/index.js', 'module'],
      ['node_modules/lint/lib/shared/late.js', 'node_modules/lint/lib/cli-engine/formatters/esm.mjs', 'module'],
      ['node_modules/lint/lib/shared/strip.js', 'node_modules/lint/lib/shared/text-table.js', 'module'],
      ['node_modules/lint/lib/shared/text-table.js', 'node_modules/lint/lib/cli-engine/formatters/esm.mjs', 'module'],
    ]);
  });
});
