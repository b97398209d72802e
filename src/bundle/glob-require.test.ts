import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { build } from 'esbuild';
import { withNodeGlobLookup } from './glob-require.ts';

test('esbuild\'s glob lookup, minified or not, is replaced by one that resolves as Node does', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'seabuild-glob-'));
  try {
    mkdirSync(join(dir, 'cli'));
    writeFileSync(join(dir, 'cli/command.start.js'), "module.exports = 'start';");
    writeFileSync(join(dir, 'cli/index.js'), "module.exports = 'index';");
    writeFileSync(join(dir, 'main.js'), [
      'const load = (name) => require(`./cli/${name}`);',
      "const found = [load('command.start'), load('command.start.js'), load('')];",
      "try { load('nope'); } catch (e) { found.push(e.code, e.message); }",
      'module.exports = found;',
    ].join('\n'));
    for (const minify of [false, true]) {
      const output = await build({ entryPoints: [join(dir, 'main.js')], bundle: true, platform: 'node', format: 'cjs', write: false, minify, logLevel: 'silent' });
      const code = withNodeGlobLookup(output.outputFiles[0]!.text);
      assert.doesNotMatch(code, /Module not found in bundle/, `minify: ${minify}`);
      const module = { exports: {} as unknown };
      runInNewContext(code, { module, exports: module.exports });
      assert.deepEqual(JSON.parse(JSON.stringify(module.exports)), ['start', 'start', 'index', 'MODULE_NOT_FOUND', "Cannot find module './cli/nope'"], `minify: ${minify}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a bundle without a computed require is left as it is', () => {
  const code = 'var a = 1;\nmodule.exports = a;\n';
  assert.equal(withNodeGlobLookup(code), code);
});
