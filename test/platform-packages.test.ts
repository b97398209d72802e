// Issue 12, npm packages with platform-specific parts: an arm64 executable built on this x86-64
// machine carries sharp's @img/sharp-linux-arm64 and its libvips (installed by npm for arm64 from the
// app's lockfile, never the host's x64 ones) and classic-level's prebuilds/linux-arm64 addon, and runs
// them under qemu-user as plain node runs the x64 ones. Bad input: an addon compiled here with no
// arm64 build (better-sqlite3), and a lockfile without sharp's arm64 package.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { build, type BuildResult } from '../src/index.ts';
import { readElfFile } from '../src/elf/index.ts';
import { planPlatformPackages } from '../src/embed/files/platform-plan.ts';
import { platformNamed } from '../src/platform/platforms.ts';
import { copyCorpus } from './helpers/packages-corpus.ts';
import { copyPackagesFixture } from './helpers/packages-fixture.ts';
import { node24, removeFixture } from './helpers/fixture.ts';
import { findTool } from './helpers/engines.ts';

const env = { SOURCE_DATE_EPOCH: '1700000000', HOME: process.env.HOME ?? '/root', PATH: process.env.PATH ?? '/usr/bin:/bin' };
// One driver for two real packages: sharp (platform packages) and classic-level (node-gyp-build prebuilds).
const driver = `const { execFileSync } = require('node:child_process');
async function main() {
  const sharp = require('sharp');
  const width = 64, height = 48;
  const pixels = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) pixels.set([x * 4, y * 5, (x + y) * 2], (y * width + x) * 3);
  const resized = await sharp(pixels, { raw: { width, height, channels: 3 } }).resize(16).raw().toBuffer({ resolveWithObject: true });
  console.log('sharp', resized.info.width + 'x' + resized.info.height, resized.info.channels, resized.data.length);
  const { ClassicLevel } = require('classic-level');
  const dir = require('node:fs').mkdtempSync(require('node:path').join(require('node:os').tmpdir(), 'level-'));
  const db = new ClassicLevel(dir, { valueEncoding: 'json' });
  await db.batch([{ type: 'put', key: 'b', value: { n: 2 } }, { type: 'put', key: 'a', value: { n: 1 } }]);
  for await (const [key, value] of db.iterator()) console.log('level', key, JSON.stringify(value));
  await db.close();
  require('node:fs').rmSync(dir, { recursive: true, force: true });
}
main();
`;
let corpus: string;
let result: BuildResult;

before(async () => {
  const missing = ['qemu-aarch64-static', 'aarch64-linux-gnu-strip', 'apt-get', 'dpkg-deb'].filter((tool) => !findTool(tool));
  if (missing.length > 0) throw new Error(`${missing.join(', ')} not installed: run .ci/run (qemu-user-static, binutils-aarch64-linux-gnu, dpkg --add-architecture arm64)`);
  corpus = await copyCorpus();
  await writeFile(join(corpus, 'entries/arm64-natives.cjs'), driver);
  result = await build({ cwd: corpus, env, entry: 'entries/arm64-natives.cjs', name: 'natives', platforms: ['linux/arm64'], image: false, outDir: 'dist-arm64' });
});
after(async () => {
  if (corpus) await removeFixture(corpus);
});

describe('an arm64 executable of packages with platform-specific parts', () => {
  test('the tree holds sharp\'s arm64 packages and classic-level\'s linux-arm64 prebuild, and no x64 file', async () => {
    const files = result.platforms[0]!.embedded.packageFiles!.files;
    const packages = new Set(files.map((f) => f.package));
    for (const name of ['@img/sharp-linux-arm64', '@img/sharp-libvips-linux-arm64', 'classic-level']) assert.ok(packages.has(name), `${name} carried`);
    assert.ok(![...packages].some((name) => name?.includes('x64')), `no x64 package: ${[...packages].join(', ')}`);
    const natives = files.filter((f) => f.kind === 'addon' || f.kind === 'library' || f.kind === 'executable');
    assert.ok(natives.some((f) => f.treePath === 'node_modules/classic-level/prebuilds/linux-arm64/classic-level.glibc.node' || /^node_modules\/classic-level\/prebuilds\/linux-arm64\//.test(f.treePath)), natives.map((f) => f.treePath).join('\n'));
    // Laid out as npm would have installed them on an arm64 machine (hoisted), from seabuild's cache.
    assert.ok(natives.some((f) => f.treePath.startsWith('node_modules/@img/sharp-linux-arm64/lib/') && f.kind === 'addon'));
    // Each native file where the build took it from: the app's node_modules (prebuilds) or seabuild's platform-packages cache.
    const cache = join(env.HOME, '.cache/seabuild/platform-packages');
    const sources = [corpus, ...readdirSync(cache).map((d) => join(cache, d))];
    for (const file of natives) {
      const source = sources.map((dir) => join(dir, file.treePath)).find((path) => existsSync(path));
      assert.ok(source, `${file.treePath} on disk`);
      assert.equal((await readElfFile(source)).machine, 'aarch64', file.treePath);
    }
  });

  test('it prints under qemu-user what plain node prints on this machine', async () => {
    const sysroot = result.platforms[0]!.target.sysroot!.dir;
    const scratch = join(corpus, 'run-home');
    const runEnv = { HOME: scratch, XDG_CACHE_HOME: join(scratch, 'cache'), TMPDIR: '/tmp' };
    const arm = await execa('qemu-aarch64-static', ['-L', sysroot, result.platforms[0]!.executable.path], { env: runEnv, extendEnv: false, reject: false, timeout: 120_000 });
    const plain = await execa(node24, ['entries/arm64-natives.cjs'], { cwd: corpus, env: runEnv, extendEnv: false, reject: false });
    assert.equal(plain.exitCode, 0, plain.stderr);
    assert.equal(arm.exitCode, 0, arm.stderr);
    assert.equal(arm.stdout, plain.stdout);
    assert.match(arm.stdout, /^sharp 16x12 3 576\nlevel a \{"n":1\}\nlevel b \{"n":2\}\n?$/);
  });

  test('the arm64 packages come from npm once, then from the cache', () => {
    const cache = join(env.HOME, '.cache/seabuild/platform-packages');
    const installs = readdirSync(cache).filter((d) => d.startsWith('linux-arm64-') && existsSync(join(cache, d, 'node_modules/@img/sharp-linux-arm64/package.json')));
    assert.ok(installs.length >= 1, readdirSync(cache).join(', '));
  });
});

describe('bad input', () => {
  test('an addon compiled on this machine with no arm64 build (better-sqlite3) fails naming the package', async () => {
    const dir = await copyPackagesFixture('24.21.0');
    try {
      await assert.rejects(build({ cwd: dir, env, platforms: ['linux/amd64,linux/arm64'], image: false, outDir: 'dist-bad' }), (error: any) => {
        assert.equal(error.code, 'ADDON_NO_TARGET_BUILD');
        assert.equal(error.file, join(dir, 'node_modules/better-sqlite3/build/Release/better_sqlite3.node'));
        assert.match(error.message, /^package better-sqlite3 has no linux\/arm64 build of its native addon/);
        return true;
      });
      // Nothing was published for either platform.
      assert.equal(existsSync(join(dir, 'dist-bad/packages-fixture-linux-arm64')), false);
    } finally {
      await removeFixture(dir);
    }
  });

  test('a lockfile that lists no arm64 package of sharp fails naming sharp and the lockfile', async () => {
    const lockPath = join(corpus, 'package-lock.json');
    const lock = JSON.parse(await readFile(lockPath, 'utf8'));
    delete lock.packages['node_modules/@img/sharp-linux-arm64'];
    await writeFile(lockPath, JSON.stringify(lock, null, 2));
    // The build machine's tree as the build collects it for sharp: its x64 addon package.
    const addon = join(corpus, 'node_modules/@img/sharp-linux-x64/lib/sharp-linux-x64-0.35.5.node');
    const hostFiles = { files: [{ treePath: 'node_modules/@img/sharp-linux-x64/lib/sharp-linux-x64-0.35.5.node', sourcePath: addon, package: '@img/sharp-linux-x64', kind: 'addon' as const, sizeBytes: 0, sha256: '', mode: 0o644, reason: 'test' }], totalBytes: 0, elfFiles: [addon], id: '' };
    assert.throws(() => planPlatformPackages(corpus, hostFiles, platformNamed('linux/arm64')!), (error: any) => {
      assert.equal(error.code, 'ADDON_NO_TARGET_BUILD');
      assert.equal(error.file, lockPath);
      assert.match(error.message, /^package sharp has no linux\/arm64 build: its platform package @img\/sharp-linux-x64 is for the build machine only, and the lockfile has no entry for @img\/sharp-linux-arm64$/);
      return true;
    });
    // For linux/amd64 the build machine's own package is right: nothing to install.
    assert.deepEqual(planPlatformPackages(corpus, hostFiles, platformNamed('linux/amd64')!).packages, []);
  });
});
