import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join, relative } from 'node:path';
import { traceFiles } from './index.ts';
import { withApp } from '../../test/helpers/temp-app.ts';

test('traceFiles: TypeScript modules are followed through their imports, seabuild/runtime is the launcher\'s', async () => {
  await withApp({
    'package.json': '{"name":"app","type":"module"}',
    'src/main.ts': "import { runApp } from 'seabuild/runtime';\nimport { app } from './app.ts';\nrunApp(app);\n",
    'src/app.ts': "import type { Server } from 'node:http';\nimport { helper } from './helper.ts';\nexport const app: { serve: () => Server | undefined } = { serve: () => helper() };\n",
    'src/helper.ts': 'export const helper = (): undefined => undefined;\n',
    'node_modules/seabuild/package.json': '{"name":"seabuild","exports":{"./runtime":"./runtime.js"}}',
    'node_modules/seabuild/runtime.js': 'export const runApp = () => {};\n',
  }, async (root) => {
    const traced = await traceFiles({ root, entry: join(root, 'src/main.ts') });
    const files = traced.files.map((f) => relative(root, f.path)).sort();
    assert.deepEqual(files, ['package.json', 'src/app.ts', 'src/helper.ts', 'src/main.ts']);
    assert.equal(traced.runApp, true);
    assert.deepEqual(traced.untraced, []);
  });
});

test('traceFiles: a closed output folder (its own node_modules) is carried whole, and nothing outside it', async () => {
  await withApp({
    'package.json': '{"name":"web"}',
    'node_modules/outside/index.js': 'module.exports = 1;\n',
    'node_modules/outside/package.json': '{"name":"outside"}',
    'out/server.js': "require('inside');\ntry { require('outside'); } catch {}\nrequire(require('path').join(__dirname, 'chunks', process.env.CHUNK || 'a.js'));\n",
    'out/chunks/a.js': 'module.exports = "a";\n',
    'out/static/logo.svg': '<svg/>',
    // A script named from require.resolve that lies outside the closed folder stays out too (package-paths.ts).
    'out/node_modules/inside/index.js': "const path = require('path');\nrequire('child_process').fork(path.join(path.dirname(require.resolve('outside/package.json')), 'index.js'));\nmodule.exports = 2;\n",
    'out/node_modules/inside/package.json': '{"name":"inside"}',
    'out/node_modules/untouched/index.js': 'module.exports = 3;\n',
  }, async (root) => {
    const traced = await traceFiles({ root, entry: join(root, 'out/server.js'), outputDir: join(root, 'out') });
    const files = traced.files.map((f) => relative(root, f.path)).sort();
    assert.deepEqual(files, ['out/chunks/a.js', 'out/node_modules/inside/index.js', 'out/node_modules/inside/package.json', 'out/node_modules/untouched/index.js', 'out/server.js', 'out/static/logo.svg']);
    // Listed: what lies in the output and no import or path expression reached (its node_modules is the framework's own trace).
    assert.deepEqual(traced.untraced, ['out/static/logo.svg']);
    assert.equal(traced.runApp, false);
  });
});

test('traceFiles: a script named by a path built from require.resolve (Node-RED runs npm\'s bin so) is traced with what it requires', async () => {
  await withApp({
    'package.json': '{"name":"app"}',
    'main.js': "require('runner');\n",
    'node_modules/runner/package.json': '{"name":"runner"}',
    // Node-RED's @node-red/registry/lib/installer.js, reduced: bound names, then an inline form. From
    // inside a package, nft emits nothing outside that package for such a path.
    'node_modules/runner/index.js': [
      "const path = require('path');",
      "const toolPackageJson = require.resolve('tool/package.json');",
      'const toolRoot = path.dirname(toolPackageJson);',
      "const toolCli = path.join(toolRoot, 'bin', 'cli.js');",
      "const other = path.resolve(path.dirname(require.resolve('other/package.json')), 'lib/run.js');",
      "const words = ['a', 'b'].join(', ');",
      "require('child_process').execFile(process.execPath, [toolCli, '-v'], () => {});",
      '',
    ].join('\n'),
    // npm's own package.json shape: "exports" that name package.json (without them nft finds the bin itself).
    'node_modules/tool/package.json': '{"name":"tool","exports":{".":"./index.js","./package.json":"./package.json"}}',
    'node_modules/tool/index.js': 'module.exports = 0;\n',
    'node_modules/tool/bin/cli.js': "require('../lib/cli.js');\n",
    'node_modules/tool/lib/cli.js': "require('dep');\n",
    'node_modules/tool/node_modules/dep/package.json': '{"name":"dep"}',
    'node_modules/tool/node_modules/dep/index.js': 'module.exports = 1;\n',
    'node_modules/other/package.json': '{"name":"other"}',
    'node_modules/other/lib/run.js': 'module.exports = 3;\n',
  }, async (root) => {
    const traced = await traceFiles({ root, entry: join(root, 'main.js') });
    const files = traced.files.map((f) => relative(root, f.path)).sort();
    assert.deepEqual(files, [
      'main.js', 'node_modules/other/lib/run.js', 'node_modules/other/package.json', 'node_modules/runner/index.js', 'node_modules/runner/package.json',
      'node_modules/tool/bin/cli.js', 'node_modules/tool/lib/cli.js', 'node_modules/tool/node_modules/dep/index.js',
      'node_modules/tool/node_modules/dep/package.json', 'node_modules/tool/package.json', 'package.json',
    ]);
    const cli = traced.files.find((f) => f.path.endsWith('tool/bin/cli.js'))!;
    assert.equal(cli.reason, 'traced: a script named by a path from require.resolve in node_modules/runner/index.js:4');
  });
});
