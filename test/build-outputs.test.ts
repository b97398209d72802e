// Issue 25 item 2: every output of a build (executable, image archive, report, SBOMs) appears together
// or not at all. A nearly full output disk (a tmpfs a few MB bigger than the executable) with an
// image: the archive fits, the executable does not, and nothing of the old outputs is replaced
// (before: the new archive stood beside the old executable, and the message said nothing was
// replaced). Ctrl-C and SIGTERM remove the work folder; a failed bundle leaves no empty dist/.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { execa } from 'execa';
import { readReport } from '../src/report/index.ts';
import { runSeabuild } from './helpers/cli.ts';
import { requireRoot } from './helpers/engines.ts';
import { copyFixture, node24, removeFixture, seabuildBin } from './helpers/fixture.ts';

const OUTPUTS = ['hello-fixture', 'hello-fixture.image.tar', 'hello-fixture.report.json', 'hello-fixture.spdx.json', 'hello-fixture.cdx.json'];
const sha256 = async (file: string): Promise<string> => createHash('sha256').update(await readFile(file)).digest('hex');

describe('the outputs of a build appear together or not at all', () => {
  let app: string;
  let scratch: string;
  let env: Record<string, string>;
  const build = (outDir: string) => runSeabuild(['build', '--no-verify', '--out-dir', outDir], { cwd: app, env });

  before(async () => {
    app = await copyFixture('hello');
    scratch = await mkdtemp(join(tmpdir(), 'seabuild-outputs-'));
    env = { SEABUILD_CACHE_DIR: join(scratch, 'cache') };
  });
  after(async () => {
    await execa('umount', [join(scratch, 'small')], { reject: false });
    await rm(scratch, { recursive: true, force: true });
    await removeFixture(app);
  });

  it('with an image, on a disk with room for the archive but not the executable: the previous outputs all stay, nothing is left; with room, all are new', async (t) => {
    if (!requireRoot(t, 'mounts a small tmpfs as the output folder')) return;
    const baseline = join(scratch, 'baseline');
    const first = await build(baseline);
    assert.equal(first.exitCode, 0, first.all);
    const sizes = Object.fromEntries(await Promise.all(OUTPUTS.map(async (name) => [name, (await stat(join(baseline, name))).size] as const)));
    const small = join(scratch, 'small');
    await mkdir(small);
    // The previous build's outputs (small stand-ins), and room for the new archive but not for the executable too.
    await execa('mount', ['-t', 'tmpfs', '-o', `size=${sizes['hello-fixture']! + 5 * 1024 * 1024}`, 'tmpfs', small]);
    assert.ok(sizes['hello-fixture.image.tar']! < 5 * 1024 * 1024 + sizes['hello-fixture']! - sizes['hello-fixture.image.tar']!, 'the archive alone fits');
    for (const name of OUTPUTS) await writeFile(join(small, name), `previous ${name}`);
    const full = await build(small);
    assert.equal(full.exitCode, 1, full.all);
    assert.match(full.stderr, new RegExp(`seabuild: error: ${small}: no space left on the device \\(ENOSPC\\) while writing hello-fixture; nothing was replaced`));
    for (const name of OUTPUTS) assert.equal(await readFile(join(small, name), 'utf8'), `previous ${name}`, `${name} is the previous one`);
    assert.deepEqual((await readdir(small)).sort(), [...OUTPUTS].sort(), 'no temporary left');

    await execa('mount', ['-o', `remount,size=${2 * Object.values(sizes).reduce((a, b) => a + b, 0)}`, small]);
    const next = await build(small);
    assert.equal(next.exitCode, 0, next.all);
    assert.deepEqual((await readdir(small)).sort(), [...OUTPUTS].sort());
    const report = await readReport(join(small, 'hello-fixture.report.json'));
    assert.equal(report.executable.sha256.replace(/^sha256:/, ''), await sha256(join(small, 'hello-fixture')));
    assert.equal(await sha256(join(small, 'hello-fixture.image.tar')), await sha256(join(baseline, 'hello-fixture.image.tar')), 'the same archive as the first build');
  });

  for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
    it(`${signal} during a build: exit ${code}, the work folder and the staged outputs are gone, the previous outputs stay`, async () => {
      const outDir = join(scratch, `interrupted-${signal}`);
      await mkdir(outDir);
      await writeFile(join(outDir, 'hello-fixture'), 'previous');
      const child = spawn(node24, [seabuildBin, 'build', '--no-image', '--out-dir', outDir], { cwd: app, env: { ...process.env, SOURCE_DATE_EPOCH: '1700000000', ...env }, stdio: 'ignore' });
      const exited = new Promise<number | null>((resolve) => child.on('exit', (exitCode) => resolve(exitCode)));
      const workDir = async (): Promise<string | undefined> => (await readdir(tmpdir())).map((name) => join(tmpdir(), name)).find((path) => path.includes(`/seabuild-build-${child.pid}-`));
      let work: string | undefined;
      for (let i = 0; !(work = await workDir()); i++) {
        assert.ok(i < 3000, 'the build never made its work folder');
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      child.kill(signal);
      assert.equal(await exited, code);
      assert.equal(await stat(work).then(() => true, () => false), false, `${work} is gone`);
      assert.deepEqual(await readdir(outDir), ['hello-fixture']);
      assert.equal(await readFile(join(outDir, 'hello-fixture'), 'utf8'), 'previous');
    });
  }

  it('a failed bundle leaves no empty dist/ behind', async () => {
    const broken = await mkdtemp(join(scratch, 'broken-'));
    await writeFile(join(broken, 'package.json'), JSON.stringify({ name: 'broken', version: '1.0.0', main: 'main.js' }));
    await writeFile(join(broken, 'main.js'), 'const x = ;\n');
    const result = await runSeabuild(['build', '--no-image'], { cwd: broken });
    assert.equal(result.exitCode, 1, result.all);
    assert.match(result.stderr, /main\.js:1: /);
    assert.deepEqual(await readdir(broken), ['main.js', 'package.json']);
  });
});
