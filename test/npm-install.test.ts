// `npm i -D seabuild` as a user does it: the packed tarball installed under node_modules (where Node
// will not strip TypeScript types by itself), then `seabuild build` and development mode.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { copyFixture, node24, repoRoot } from './helpers/fixture.ts';

let packDir: string;
let app: string;

before(async () => {
  packDir = await mkdtemp(join(tmpdir(), 'seabuild-pack-'));
  await execa('npm', ['pack', '--silent', '--pack-destination', packDir], { cwd: repoRoot });
  const tarball = join(packDir, (await readdir(packDir)).find((f) => f.endsWith('.tgz'))!);
  app = await copyFixture('hello');
  await rm(join(app, 'node_modules'), { recursive: true, force: true });
  await execa('npm', ['install', '--no-audit', '--no-fund', '-D', tarball], { cwd: app });
});
after(async () => {
  await rm(packDir, { recursive: true, force: true });
  await rm(app, { recursive: true, force: true });
});

test('the installed package builds the app (executable only) and its executable runs', async () => {
  const cli = join(app, 'node_modules/seabuild/bin/seabuild.js');
  const built = await execa(node24, [cli, 'build', '--no-image'], { cwd: app, env: { SOURCE_DATE_EPOCH: '1700000000' }, reject: false, all: true });
  assert.equal(built.exitCode, 0, built.all);
  assert.doesNotMatch(built.all ?? '', /ExperimentalWarning/);
  const version = await execa(join(app, 'dist/hello-fixture'), ['version']);
  assert.match(version.stdout, /^hello-fixture 1\.2\.3$/m);
});

test('development mode: node --import seabuild/register src/main.ts', async () => {
  const plain = await execa(node24, ['src/main.ts', 'version'], { cwd: app, reject: false });
  assert.notEqual(plain.exitCode, 0, 'without the hook Node refuses TypeScript under node_modules');
  const hooked = await execa(node24, ['--import', 'seabuild/register', 'src/main.ts', 'version'], { cwd: app });
  assert.match(hooked.stdout, /built\s+from source/);
  assert.equal(hooked.stderr, '');
});

test('an old Node gets one clear line, not a stack trace', async () => {
  const old = await execa('/usr/bin/node', [join(app, 'node_modules/seabuild/bin/seabuild.js'), 'version'], { reject: false });
  assert.equal(old.exitCode, 1);
  assert.match(old.stderr, /^seabuild: error: Node v20\.\d+\.\d+ is too old/);
});
