// Config files of every module type, in a "type": "commonjs" project (what `npm init -y` writes) and
// an ESM one; a broken config names its file and the real cause; unknown keys all at once, in files
// and in build()'s options; the same key in two files names both.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveConfig } from '../src/config.ts';
import { build } from '../src/build.ts';
import { SeabuildError } from '../src/errors.ts';
import { repoRoot } from './helpers/fixture.ts';

/** An app folder with package.json (of `type`), index.js, node_modules/seabuild and `files`. */
function app(type: 'commonjs' | 'module', files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'seabuild-config-files-'));
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'cfg', version: '1.0.0', main: 'index.js', type: 'commonjs', ...files['package.json'] ? JSON.parse(files['package.json']) : {}, ...(type === 'module' ? { type } : {}) }));
  writeFileSync(join(dir, 'index.js'), '');
  mkdirSync(join(dir, 'node_modules'));
  symlinkSync(repoRoot, join(dir, 'node_modules/seabuild'));
  for (const [name, text] of Object.entries(files)) if (name !== 'package.json') { mkdirSync(join(dir, name, '..'), { recursive: true }); writeFileSync(join(dir, name), text); }
  return dir;
}

const esm = "import { defineConfig } from 'seabuild';\nimport { port } from './port.ts';\nexport default defineConfig({ name: 'from-config', port });\n";
const cjs = "const { defineConfig } = require('seabuild');\nmodule.exports = defineConfig({ name: 'from-config', port: require('./port.json').port });\n";
const cases: Array<{ description: string; type: 'commonjs' | 'module'; file: string; text: string }> = [
  { description: 'the README\'s seabuild.config.ts in a CommonJS project', type: 'commonjs', file: 'seabuild.config.ts', text: esm },
  { description: 'seabuild.config.ts in an ESM project', type: 'module', file: 'seabuild.config.ts', text: esm },
  { description: 'seabuild.config.mts in a CommonJS project', type: 'commonjs', file: 'seabuild.config.mts', text: esm },
  { description: 'seabuild.config.cts (require, module.exports) in an ESM project', type: 'module', file: 'seabuild.config.cts', text: cjs },
  { description: 'seabuild.config.js with module.exports in a CommonJS project', type: 'commonjs', file: 'seabuild.config.js', text: cjs },
  { description: 'seabuild.config.js with import in a CommonJS project', type: 'commonjs', file: 'seabuild.config.js', text: esm.replace('./port.ts', './port.js') },
  { description: 'seabuild.config.mjs', type: 'commonjs', file: 'seabuild.config.mjs', text: esm.replace('./port.ts', './port.js') },
  { description: 'seabuild.config.cjs', type: 'module', file: 'seabuild.config.cjs', text: cjs },
];

for (const { description, type, file, text } of cases) {
  test(`loads ${description}`, async () => {
    const dir = app(type, { [file]: text, 'port.ts': 'export const port: number = 4321;\n', 'port.js': 'export const port = 4321;\n', 'port.json': '{"port":4321}' });
    try {
      const config = await resolveConfig({ cwd: dir, env: { SOURCE_DATE_EPOCH: '1' } });
      assert.equal(config.name, 'from-config');
      assert.equal(config.port, 4321);
      assert.deepEqual(config.configFiles, [join(dir, file)]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}

test('a config that does not compile names its file and line; one that throws names the real cause', async () => {
  const dir = app('commonjs', { 'seabuild.config.ts': "export default {\n  name: 'x',,\n};\n" });
  try {
    await assert.rejects(resolveConfig({ cwd: dir, env: {} }), (error: unknown) => {
      assert.ok(error instanceof SeabuildError);
      assert.equal(error.code, 'CONFIG_LOAD_FAILED');
      assert.equal(error.file, join(dir, 'seabuild.config.ts'));
      assert.equal(error.line, 2);
      return true;
    });
    writeFileSync(join(dir, 'seabuild.config.ts'), "const env: string = process.env.NOPE!;\nexport default { name: env.toUpperCase() };\n");
    await assert.rejects(resolveConfig({ cwd: dir, env: {} }), (error: unknown) => {
      assert.ok(error instanceof SeabuildError);
      assert.equal(error.code, 'CONFIG_LOAD_FAILED');
      assert.equal(error.file, join(dir, 'seabuild.config.ts'));
      assert.match(error.message, /TypeError: Cannot read properties of undefined/);
      assert.doesNotMatch(error.message, /Cannot use import statement/);
      return true;
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('every unknown key at once, each with the key it most likely meant', async () => {
  const dir = app('commonjs', { 'seabuild.config.json': JSON.stringify({ outdir: 'x', prot: 1, image: { tagg: '1' }, name: 'ok' }) });
  try {
    await assert.rejects(resolveConfig({ cwd: dir, env: {} }), (error: unknown) => {
      assert.ok(error instanceof SeabuildError);
      assert.equal(error.code, 'CONFIG_UNKNOWN_KEY');
      assert.equal(error.file, join(dir, 'seabuild.config.json'));
      for (const [wrong, meant] of [['outdir', 'outDir'], ['prot', 'port'], ['image.tagg', 'image.tag']]) assert.ok(error.message.includes(`"${wrong}" (did you mean "${meant}"?)`), error.message);
      return true;
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('build() rejects an unknown option as a config file does, before any work', async () => {
  const dir = app('commonjs', {});
  try {
    await assert.rejects(build({ cwd: dir, outdir: 'x' } as Parameters<typeof build>[0]), (error: unknown) => {
      assert.ok(error instanceof SeabuildError);
      assert.equal(error.code, 'CONFIG_UNKNOWN_KEY');
      assert.equal(error.file, '(build options)');
      assert.match(error.message, /"outdir" \(did you mean "outDir"\?\)/);
      return true;
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the same key in package.json and seabuild.config.json is an error naming both files; a flag still overrides', async () => {
  const dir = app('commonjs', { 'package.json': JSON.stringify({ seabuild: { port: 1 } }), 'seabuild.config.json': '{"port":2}' });
  try {
    await assert.rejects(resolveConfig({ cwd: dir, env: {} }), (error: unknown) => {
      assert.ok(error instanceof SeabuildError);
      assert.equal(error.code, 'CONFIG_KEY_CONFLICT');
      assert.equal(error.file, join(dir, 'seabuild.config.json'));
      assert.ok(error.message.includes(join(dir, 'package.json')) && error.message.includes('"seabuild.port"'), error.message);
      return true;
    });
    writeFileSync(join(dir, 'seabuild.config.json'), '{"name":"other"}');
    const config = await resolveConfig({ cwd: dir, env: {}, flags: { port: 3 } });
    assert.equal(config.port, 3);
    assert.equal(config.name, 'other');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
