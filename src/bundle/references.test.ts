import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lexSource } from './js-lexer.ts';
import { findReferences } from './references.ts';

/** A package `demo` in a temp app: lib/index.js, lib/worker.js, data.wasm, fonts/{a.flf,helper.js}, locales/en.json. */
function makePackage(): { root: string; pkg: string; module: string } {
  const root = mkdtempSync(join(tmpdir(), 'seabuild-refs-'));
  const pkg = join(root, 'node_modules/demo');
  for (const dir of ['lib', 'fonts', 'locales']) mkdirSync(join(pkg, dir), { recursive: true });
  for (const file of ['package.json', 'lib/worker.js', 'lib/data.wasm', 'fonts/a.flf', 'fonts/helper.js', 'locales/en.json']) writeFileSync(join(pkg, file), '{}');
  return { root, pkg, module: join(pkg, 'lib/index.js') };
}

/** Runs `check` on a fresh package, then removes it. */
function withPackage(check: (p: { root: string; pkg: string; module: string }) => void): void {
  const made = makePackage();
  try { check(made); } finally { rmSync(made.root, { recursive: true, force: true }); }
}

const find = (source: string, module: string, boundary: string) =>
  findReferences(lexSource(source), module, boundary).map((r) => ({ path: r.path, kind: r.kind, line: r.line }));

test('explicit path forms: joins, concatenation, new URL and require.resolve', () => {
  withPackage(({ pkg, module }) => {
    const refs = find([
      "const w = path.join(__dirname, 'worker.js');",
      "const d = __dirname + '/data.wasm';",
      "const u = new URL('../locales/en.json', import.meta.url);",
      "const f = path.resolve(__dirname, '..', 'fonts');",
      "const r = require.resolve('./worker.js');",
    ].join('\n'), module, pkg);
    assert.deepEqual(refs.sort((a, b) => a.line - b.line), [
      { path: join(pkg, 'lib/worker.js'), kind: 'entry', line: 1 },
      { path: join(pkg, 'lib/data.wasm'), kind: 'data', line: 2 },
      { path: join(pkg, 'locales/en.json'), kind: 'data', line: 3 },
      { path: join(pkg, 'fonts'), kind: 'folder', line: 4 },
    ]);
  });
});

test('a join of literals and then a computed name names the folder (socket.io serves its client this way)', () => {
  withPackage(({ pkg, module }) => {
    const refs = find([
      'const readStream = (0, fs_1.createReadStream)(path.join(__dirname, "../fonts/", filename));',
      // TypeScript's CommonJS output.
      "const lang = (0, path_1.resolve)(__dirname, '..', 'locales', name + '.json');",
      'const whole = path.join(__dirname, "..", file);',
    ].join('\n'), module, pkg);
    assert.deepEqual(refs.sort((a, b) => a.line - b.line), [
      { path: join(pkg, 'fonts'), kind: 'folder', line: 1 },
      { path: join(pkg, 'locales'), kind: 'folder', line: 2 },
    ]);
  });
});

test('path.resolve(__dirname) in a package hands out its own folder (swagger-ui-dist); in the app it does not', () => {
  withPackage(({ root, pkg }) => {
    const source = 'module.exports = () => require("path").resolve(__dirname)';
    assert.deepEqual(find(source, join(pkg, 'absolute-path.js'), pkg), [{ path: pkg, kind: 'folder', line: 1 }]);
    assert.deepEqual(find(source, join(root, 'server.js'), root), []);
  });
});

test('bare literals in a location-aware module name data files (scripts too: read as text), folders of the same package only', () => {
  withPackage(({ pkg, module }) => {
    const refs = find([
      'const base = __dirname;',
      "const wasm = 'data.wasm', fonts = '/../fonts/', js = 'worker.js';",
      "const outside = '../../../package.json', missing = 'nope.bin';",
      "import x from '../locales/en.json';",
    ].join('\n'), module, pkg);
    assert.deepEqual(refs, [
      { path: join(pkg, 'lib/data.wasm'), kind: 'data', line: 2 },
      { path: join(pkg, 'fonts'), kind: 'data-folder', line: 2 },
      { path: join(pkg, 'lib/worker.js'), kind: 'data', line: 2 },
    ]);
  });
});

test('a module that starts itself as a worker (esbuild\'s sync API) is an entry', () => {
  withPackage(({ pkg, module }) => {
    assert.deepEqual(find('const w = new worker_threads.Worker(__filename, { workerData });', module, pkg), [{ path: module, kind: 'entry', line: 1 }]);
  });
});

test('a module that never computes its location has no bare-literal references', () => {
  withPackage(({ pkg, module }) => assert.deepEqual(find("const wasm = 'data.wasm';", module, pkg), []));
});

test("the app's literals do not reach into node_modules; its own folders do count", () => {
  withPackage(({ root }) => {
    mkdirSync(join(root, 'views'));
    writeFileSync(join(root, 'views/index.ejs'), '<h1>');
    const refs = find("app.set('views', join(import.meta.dirname, '../views')); const p = '../node_modules/demo/fonts';", join(root, 'src/main.js'), root);
    assert.deepEqual(refs, [{ path: join(root, 'views'), kind: 'data-folder', line: 1 }]);
  });
});

test('a transport named by package, requires through createRequire, and files of a hidden import()', () => {
  withPackage(({ root, pkg, module }) => {
    mkdirSync(join(root, 'node_modules/pretty'), { recursive: true });
    writeFileSync(join(root, 'node_modules/pretty/package.json'), JSON.stringify({ name: 'pretty', main: 'index.js' }));
    writeFileSync(join(root, 'node_modules/pretty/index.js'), '');
    writeFileSync(join(pkg, 'lib/cli.mjs'), '');
    const transport = findReferences(lexSource("pino({ transport: { target: 'pretty' } }); build({ target: 'node22' });"), module, pkg);
    assert.deepEqual(transport.map((r) => [r.path, r.kind, r.specifier]), [[join(root, 'node_modules/pretty/index.js'), 'entry', 'pretty']]);
    const local = find("import Module from 'node:module'; const require = Module.createRequire(import.meta.url); require('pretty');", module, pkg);
    assert.deepEqual(local.filter((r) => r.kind === 'entry').map((r) => r.path), [join(root, 'node_modules/pretty/index.js')]);
    const hidden = find('var load = new Function("m", "return import(m)");\nload("./cli.mjs");', module, pkg);
    assert.deepEqual(hidden, [{ path: join(pkg, 'lib/cli.mjs'), kind: 'esm', line: 2 }]);
  });
});

test('a data file of another package named by specifier: require.resolve and import.meta.resolve', () => {
  withPackage(({ root, pkg }) => {
    const app = join(root, 'main.mjs');
    const refs = find("const a = require.resolve('demo/lib/data.wasm');\nconst b = import.meta.resolve('demo/locales/en.json');\n", app, root);
    assert.deepEqual(refs, [
      { path: join(pkg, 'lib/data.wasm'), kind: 'data', line: 1 },
      { path: join(pkg, 'locales/en.json'), kind: 'data', line: 2 },
    ]);
  });
});
