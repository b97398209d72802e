// Real npm packages in the executable (issues 4 and 7). The fixture app (test/fixtures/packages) has
// one command per package case; each command's output in the executable must equal, byte for byte,
// the same entry run under plain node — in the standalone executable (node 24, 22 and 26) and inside the
// image's rootfs (chroot, as the image's user).
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { node24, removeFixture, seabuildBin } from './helpers/fixture.ts';
import { copyPackagesFixture, nodeWithHeaders } from './helpers/packages-fixture.ts';
import { otherNodeVersions } from './helpers/node-versions.ts';

/** The cases compared byte for byte (see test/fixtures/packages/src/cases/index.js). */
const compared = ['figlet', 'sqljs', 'pglite', 'sqlite', 'sharp', 'yargs', 'esbuild', 'express', 'pino', 'worker'];
const isRoot = process.getuid?.() === 0;

/** Runs `program args` in `cwd`; stdout and exit code (stderr kept for messages). */
async function runCase(program: string, args: string[], cwd: string, env: Record<string, string> = {}) {
  const result = await execa(program, args, { cwd, reject: false, timeout: 120_000, env: { NODE_OPTIONS: '', ...env } });
  return { stdout: result.stdout, exitCode: result.exitCode, stderr: result.stderr };
}

async function seabuild(args: string[], cwd: string) {
  return execa(node24, [seabuildBin, ...args], { cwd, reject: false, all: true, env: { SOURCE_DATE_EPOCH: '1700000000' } });
}

/** Asserts that every compared case prints the same in `exec(case)` as under `node`. */
async function compareCases(app: string, node: string, exec: (name: string) => Promise<{ stdout: string; exitCode?: number | undefined; stderr: string }>): Promise<void> {
  for (const name of compared) {
    const expected = await runCase(node, ['src/main.js', name], app);
    assert.equal(expected.exitCode, 0, `${name} under plain node: ${expected.stderr}`);
    const actual = await exec(name);
    assert.equal(actual.stdout, expected.stdout, `${name}: output differs (stderr: ${actual.stderr.slice(0, 2000)})`);
    assert.equal(actual.exitCode, 0, `${name}: exit code`);
  }
}

describe('real npm packages, node 24', () => {
  let app: string;
  let cache: string;
  let buildOutput: string;
  before(async () => {
    app = await copyPackagesFixture('24.21.0');
    cache = mkdtempSync(join(tmpdir(), 'seabuild-xdg-'));
    const built = await seabuild(['build', '--context', join(app, 'context'), ...(isRoot ? [] : ['--no-image'])], app);
    buildOutput = built.all ?? '';
    assert.equal(built.exitCode, 0, buildOutput);
  });
  after(async () => {
    await removeFixture(app);
    rmSync(cache, { recursive: true, force: true });
  });

  test('the standalone executable prints what plain node prints, for every case', async () => {
    await compareCases(app, node24, (name) => runCase(join(app, 'dist/packages-fixture'), [name], app, { XDG_CACHE_HOME: cache }));
  });

  test('native files are extracted once, content-addressed, keeping their relative layout', async () => {
    const [id] = readdirSync(join(cache, 'seabuild'));
    const root = join(cache, 'seabuild', id!);
    const addon = join(root, 'node_modules/@img/sharp-linux-x64/lib/sharp-linux-x64-0.35.5.node');
    const libvips = join(root, 'node_modules/@img/sharp-libvips-linux-x64/lib/libvips-cpp.so.8.18.7');
    assert.ok(existsSync(addon) && existsSync(libvips) && existsSync(join(root, 'node_modules/better-sqlite3/build/Release/better_sqlite3.node')));
    assert.equal(statSync(join(root, 'node_modules/@esbuild/linux-x64/bin/esbuild')).mode & 0o777, 0o755);
    // Only ELF files are written; data and scripts are served from the executable.
    assert.ok(!existsSync(join(root, 'node_modules/@electric-sql/pglite/dist/pglite.wasm')));
    const before = statSync(libvips);
    await runCase(join(app, 'dist/packages-fixture'), ['sharp'], app, { XDG_CACHE_HOME: cache });
    assert.equal(statSync(libvips).mtimeMs, before.mtimeMs);
  });

  test('version and assets answer without setting the tree up: no native file is extracted for them (issue 24)', async () => {
    const fresh = mkdtempSync(join(tmpdir(), 'seabuild-xdg-'));
    try {
      // help of an app that calls runApp() loads the app (it lists the app's commands): it sets the tree up.
      for (const command of ['version', 'assets']) {
        const answer = await runCase(join(app, 'dist/packages-fixture'), [command], app, { XDG_CACHE_HOME: fresh });
        assert.equal(answer.exitCode, 0, `${command}: ${answer.stderr}`);
      }
      assert.equal(existsSync(join(fresh, 'seabuild')), false);
    } finally {
      rmSync(fresh, { recursive: true, force: true });
    }
  });

  test('copied alone to an empty folder, the executable still runs sharp, sqlite and PGlite', async () => {
    const lonely = mkdtempSync(join(tmpdir(), 'seabuild-alone-'));
    try {
      copyFileSync(join(app, 'dist/packages-fixture'), join(lonely, 'app'));
      await execa('chmod', ['+x', join(lonely, 'app')]);
      for (const name of ['sharp', 'sqlite', 'pglite']) {
        const expected = await runCase(node24, ['src/main.js', name], app);
        const actual = await runCase(join(lonely, 'app'), [name], lonely, { XDG_CACHE_HOME: join(lonely, 'cache') });
        assert.equal(actual.stdout, expected.stdout, `${name}: ${actual.stderr}`);
      }
    } finally {
      rmSync(lonely, { recursive: true, force: true });
    }
  });

  test('a file that is not embedded fails with ENOENT and says how to add it', async () => {
    const result = await runCase(join(app, 'dist/packages-fixture'), ['missing'], app, { XDG_CACHE_HOME: cache });
    assert.match(result.stdout, /^ENOENT: .*file node_modules\/figlet\/LICENSE\.txt of package figlet is not in the executable; add it with include or run seabuild trace$/);
  });

  test('the build lists what it embeds and why, and warns about the shell-out with file and line', () => {
    assert.match(buildOutput, /embeds @img\/sharp-libvips-linux-x64: \d+ files, 18\.7\d MB — native dependency @img\/sharp-libvips-linux-x64 of sharp/);
    assert.match(buildOutput, /embeds ejs: .* (include of ejs|dependency of the app that no bundled module imports by name)/);
    const file = join(app, 'src/cases/convert.js');
    const line = readFileSync(file, 'utf8').split('\n').findIndex((l) => l.includes("execFile('convert'")) + 1;
    assert.ok(buildOutput.includes(`seabuild: warning: ${file}:${line}: runs "convert" (execFile), but the image holds only the executable: it has no convert`), buildOutput);
  });

  test('inside the image rootfs (chroot, user 65532) every case prints the same, with the files laid out, not extracted', async (t) => {
    if (!isRoot) {
      if (process.env.CI === 'true') assert.fail('chroot needs root in CI');
      t.skip('chroot needs root');
      return;
    }
    const rootfs = join(app, 'context/rootfs');
    assert.ok(existsSync(join(rootfs, 'usr/lib/packages-fixture/node_modules/@img/sharp-libvips-linux-x64/lib/libvips-cpp.so.8.18.7')));
    // The image's executable embeds no file of the tree: much smaller than the standalone one.
    assert.ok(statSync(join(rootfs, 'app')).size < statSync(join(app, 'dist/packages-fixture')).size - 50e6);
    await compareCases(app, node24, (name) => runCase('chroot', ['--userspec=65532:65532', rootfs, '/app', name], app));
  });

  test('without its include, ejs (an app dependency express loads by a computed require) is carried whole; trace still runs', async () => {
    const pkgPath = join(app, 'package.json');
    const pkg = JSON.parse(readFileSync(pkgPath, 'utf8'));
    delete pkg.seabuild.include;
    writeFileSync(pkgPath, JSON.stringify(pkg, null, 2));
    const built = await seabuild(['build', '--no-image', '--out-dir', 'dist-noinclude'], app);
    assert.equal(built.exitCode, 0, built.all);
    assert.match(built.all ?? '', /embeds ejs: .*dependency of the app that no bundled module imports by name \(ejs is loaded at run time\)/);
    const expected = await runCase(node24, ['src/main.js', 'express'], app);
    const carried = await runCase(join(app, 'dist-noinclude/packages-fixture'), ['express'], app, { XDG_CACHE_HOME: cache });
    assert.equal(carried.stdout, expected.stdout, carried.stderr);
    const traced = await seabuild(['trace', '--quiet', '--', node24, 'src/main.js', 'express'], app);
    assert.equal(traced.exitCode, 0, traced.all);
  });
});

for (const version of otherNodeVersions) {
  describe(`real npm packages, node ${version}`, () => {
    let app: string;
    let node: string;
    before(async () => {
      ({ node } = await nodeWithHeaders(version));
      app = await copyPackagesFixture(version);
      const built = await seabuild(['build', '--no-image', '--node', node], app);
      assert.equal(built.exitCode, 0, built.all);
      assert.ok(!(built.all ?? '').includes('NODE_MODULE_VERSION'), built.all);
    });
    after(async () => { await removeFixture(app); });

    test(`the standalone executable prints what plain node ${version} prints, for every case`, async () => {
      const cache = mkdtempSync(join(tmpdir(), 'seabuild-xdg-'));
      try {
        await compareCases(app, node, (name) => runCase(join(app, 'dist/packages-fixture'), [name], app, { XDG_CACHE_HOME: cache }));
      } finally {
        rmSync(cache, { recursive: true, force: true });
      }
    });
  });
}
