// Bad input: each case gives one clear error naming the file, the right exit code, and no output file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { writeFile, chmod, copyFile } from 'node:fs/promises';
import { join } from 'node:path';
import { build } from '../src/index.ts';
import { SeabuildError } from '../src/errors.ts';
import { copyFixture, removeFixture } from './helpers/fixture.ts';
import { runSeabuild } from './helpers/cli.ts';

const cases: Array<{ fixture: string; code: string; file: (dir: string) => string }> = [
  { fixture: 'bad/missing-entry', code: 'ENTRY_NOT_FOUND', file: (d) => join(d, 'src/main.ts') },
  { fixture: 'bad/syntax-error', code: 'BUNDLE_SYNTAX_ERROR', file: (d) => join(d, 'src/main.ts') },
  { fixture: 'bad/unresolved-import', code: 'BUNDLE_UNRESOLVED_IMPORT', file: (d) => join(d, 'src/main.ts') },
  { fixture: 'bad/native-addon', code: 'NATIVE_ADDON_INVALID', file: (d) => join(d, 'src/native-pkg/build/Release/addon.node') },
  { fixture: 'bad/no-package-json', code: 'NO_PACKAGE_JSON', file: (d) => join(d, 'package.json') },
  { fixture: 'bad/unknown-key', code: 'CONFIG_UNKNOWN_KEY', file: (d) => join(d, 'package.json') },
  { fixture: 'bad/unknown-key-config-file', code: 'CONFIG_UNKNOWN_KEY', file: (d) => join(d, 'seabuild.config.json') },
  { fixture: 'bad/wrong-type', code: 'CONFIG_INVALID_TYPE', file: (d) => join(d, 'package.json') },
];

for (const c of cases) {
  test(`${c.fixture}: ${c.code}, names the file, exit 1, no output`, async () => {
    const dir = await copyFixture(c.fixture);
    try {
      await assert.rejects(build({ cwd: dir, image: false }), (error: unknown) => {
        assert.ok(error instanceof SeabuildError, `expected a SeabuildError, got ${String(error)}`);
        assert.equal(error.code, c.code);
        assert.equal(error.file, c.file(dir));
        assert.ok(error.fix, 'every error carries a fix');
        return true;
      });
      const cli = await runSeabuild(['build', '--no-image'], { cwd: dir });
      assert.equal(cli.exitCode, 1, cli.all);
      assert.match(cli.stderr, /^seabuild: error: /m);
      assert.ok(cli.stderr.includes(c.file(dir)), `stderr names the file: ${cli.stderr}`);
      assert.match(cli.stderr, /\n  fix: /);
      assert.doesNotMatch(cli.stderr, /\n\s+at /, 'no stack trace without --debug');
      assert.ok(!existsSync(join(dir, 'dist')) || readdirSync(join(dir, 'dist')).length === 0, 'nothing left in dist/');
    } finally {
      await removeFixture(dir);
    }
  });
}

test('--node: a non-ELF file, an old node, an already-built executable', async () => {
  const dir = await copyFixture('hello');
  try {
    const script = join(dir, 'fake-node');
    await writeFile(script, '#!/bin/sh\necho v24.0.0\n');
    await chmod(script, 0o755);
    const nonElf = await runSeabuild(['build', '--no-image', '--node', script], { cwd: dir });
    assert.equal(nonElf.exitCode, 1);
    assert.match(nonElf.stderr, /fake-node: not an ELF executable/);

    await assert.rejects(build({ cwd: dir, image: false, node: '/usr/bin/node' }), { code: 'NODE_TOO_OLD', file: '/usr/bin/node' });

    const first = await build({ cwd: dir, image: false });
    const copy = join(dir, 'already-sea');
    await copyFile(first.platforms[0]!.executable.path, copy);
    await assert.rejects(build({ cwd: dir, image: false, node: copy, outDir: 'dist2' }), { code: 'NODE_ALREADY_INJECTED', file: copy });
    assert.ok(!existsSync(join(dir, 'dist2')) || readdirSync(join(dir, 'dist2')).length === 0);
  } finally {
    await removeFixture(dir);
  }
});

test('usage errors exit 2', async () => {
  const dir = await copyFixture('hello');
  try {
    const unknownFlag = await runSeabuild(['build', '--frobnicate'], { cwd: dir });
    assert.equal(unknownFlag.exitCode, 2);
    assert.match(unknownFlag.stderr, /frobnicate/);
    const badPort = await runSeabuild(['build', '--port', 'abc'], { cwd: dir });
    assert.equal(badPort.exitCode, 2);
    const unknownCommand = await runSeabuild(['bild'], { cwd: dir });
    assert.equal(unknownCommand.exitCode, 2);
  } finally {
    await removeFixture(dir);
  }
});

test('an output folder that cannot be written: OUTPUT_NOT_WRITABLE, nothing written', async () => {
  const dir = await copyFixture('hello');
  try {
    // A regular file where the output folder should be: fails even for root, unlike chmod.
    await writeFile(join(dir, 'blocked'), '');
    await assert.rejects(build({ cwd: dir, image: false, outDir: 'blocked/dist' }), { code: 'OUTPUT_NOT_WRITABLE' });
  } finally {
    await removeFixture(dir);
  }
});
