// Faults during a build, against the real CLI: the output disk fills (a 40 MB-too-small tmpfs as
// --out-dir), the build is killed with SIGKILL half way, two builds of the same app run at once,
// the cache folder is damaged. Each time: the previous outputs are intact, nothing half-written
// is left, the next build succeeds, and the message names the cause.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { spawn } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, stat, truncate } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { execa } from 'execa';
import { readReport } from '../src/report/index.ts';
import { runSeabuild } from './helpers/cli.ts';
import { requireRoot } from './helpers/engines.ts';
import { copyFixture, node24, removeFixture, seabuildBin } from './helpers/fixture.ts';

const OUTPUTS = ['hello-fixture', 'hello-fixture.report.json'];
const sha256 = async (file: string): Promise<string> => createHash('sha256').update(await readFile(file)).digest('hex');
const hashes = (dir: string): Promise<string[]> => Promise.all(OUTPUTS.map((name) => sha256(join(dir, name))));
// A rebuild writes the same executable; its report differs (it compares with the report it replaces).
const rebuilt = async (dir: string): Promise<string> => {
  const report = await readReport(join(dir, 'hello-fixture.report.json'));
  assert.equal(report.executable.sha256.replace(/^sha256:/, ''), await sha256(join(dir, 'hello-fixture')));
  return sha256(join(dir, 'hello-fixture'));
};
const leftovers = async (dir: string): Promise<string[]> => (await readdir(dir)).filter((name) => name.includes('.tmp-'));

/**
 * Starts a build into `outDir` and SIGKILLs it while its new executable is being written in its own
 * work folder (it is linked into the output folder only once everything passed); returns where that
 * work folder is after the kill, or undefined when the build could not be caught there (it finished first). The build is
 * stopped (SIGSTOP) when the write is seen and looked at again while it cannot move: on a loaded
 * machine it could otherwise finish between the look and the kill.
 */
async function killHalfWay(outDir: string, cwd: string, env: Record<string, string>): Promise<{ workDir: string | undefined } | undefined> {
  const child = spawn(node24, [seabuildBin, 'build', '--no-image', '--out-dir', outDir], { cwd, env: { ...process.env, SOURCE_DATE_EPOCH: '1700000000', ...env }, stdio: 'ignore' });
  let running = true;
  const exited = new Promise<void>((resolve) => child.on('exit', () => { running = false; resolve(); }));
  const workDir = async (): Promise<string | undefined> => (await readdir(tmpdir())).map((name) => join(tmpdir(), name)).find((path) => path.includes(`/seabuild-build-${child.pid}-`));
  const writing = async (): Promise<boolean> => {
    const work = await workDir();
    const names = work ? await readdir(work, { recursive: true }).catch(() => [] as string[]) : [];
    return names.some((name) => String(name).includes('.hello-fixture.tmp-'));
  };
  for (let i = 0; running && !(await writing()); i++) {
    assert.ok(i < 1200, 'the build never started writing its executable');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  if (!running) return undefined;
  child.kill('SIGSTOP');
  await waitUntilStopped(child.pid!);
  const caught = await writing();
  child.kill(caught ? 'SIGKILL' : 'SIGCONT');
  await exited;
  return caught ? { workDir: await workDir() } : undefined;
}

/** Waits until the kernel reports process `pid` stopped (state T in /proc/PID/stat) or gone. */
async function waitUntilStopped(pid: number): Promise<void> {
  for (let i = 0; i < 500; i++) {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => undefined);
    if (stat === undefined || /^\d+ \(.*\) [TtZ] /.test(stat)) return;
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  throw new Error(`process ${pid} did not stop on SIGSTOP`);
}

describe('faults during a build', () => {
  let app: string;
  let scratch: string;
  let env: Record<string, string>;
  let baseline: string;
  let expected: string[];
  const build = (outDir: string) => runSeabuild(['build', '--no-image', '--out-dir', outDir], { cwd: app, env });
  const copyOutputs = async (to: string): Promise<void> => { for (const name of OUTPUTS) await copyFile(join(baseline, name), join(to, name)); };

  before(async () => {
    app = await copyFixture('hello');
    scratch = await mkdtemp(join(tmpdir(), 'seabuild-faults-'));
    // A private cache, so that damaging it touches no other test.
    env = { SEABUILD_CACHE_DIR: join(scratch, 'cache') };
    baseline = join(scratch, 'baseline');
    const first = await build(baseline);
    assert.equal(first.exitCode, 0, first.all);
    expected = await hashes(baseline);
  });
  after(async () => {
    await execa('umount', [join(scratch, 'small')], { reject: false });
    await rm(scratch, { recursive: true, force: true });
    await removeFixture(app);
  });

  it('a full output disk: OUTPUT_NO_SPACE naming the folder, previous outputs intact, no temp; with room again, two builds at once both succeed', async (t) => {
    if (!requireRoot(t, 'mounts a small tmpfs as the output folder')) return;
    const small = join(scratch, 'small');
    await mkdir(small);
    const usedBytes = (await Promise.all(OUTPUTS.map((name) => stat(join(baseline, name))))).reduce((n, s) => n + s.size, 0);
    await execa('mount', ['-t', 'tmpfs', '-o', `size=${usedBytes + 40 * 1024 * 1024}`, 'tmpfs', small]);
    await copyOutputs(small);
    const full = await build(small);
    assert.equal(full.exitCode, 1, full.all);
    assert.match(full.stderr, new RegExp(`seabuild: error: ${small}: no space left on the device \\(ENOSPC\\) while writing hello-fixture`));
    assert.doesNotMatch(full.stderr, /internal error/);
    assert.deepEqual(await hashes(small), expected);
    assert.deepEqual(await leftovers(small), []);

    await execa('mount', ['-o', `remount,size=${3 * usedBytes + 40 * 1024 * 1024}`, small]);
    const [one, two] = await Promise.all([build(small), build(small)]);
    assert.equal(one.exitCode, 0, one.all);
    assert.equal(two.exitCode, 0, two.all);
    assert.equal(await rebuilt(small), expected[0], 'both wrote the same executable (same inputs, SOURCE_DATE_EPOCH)');
    assert.deepEqual(await leftovers(small), []);
  });

  it('SIGKILL half way: previous outputs intact; the next build, on a damaged cache, warns naming the cache, succeeds and removes the dead build\'s work folder', async () => {
    const outDir = join(scratch, 'killed');
    await mkdir(outDir);
    let killed: { workDir: string | undefined } | undefined;
    for (let attempt = 1; killed === undefined; attempt++) {
      assert.ok(attempt <= 5, 'in five attempts the build was never caught half way');
      await copyOutputs(outDir);
      killed = await killHalfWay(outDir, app, env);
    }
    assert.deepEqual(await hashes(outDir), expected);
    assert.deepEqual(await leftovers(outDir), [], 'nothing half-written beside the outputs');
    const deadWork = killed.workDir;
    assert.ok(deadWork, 'the killed build could not remove its work folder');

    const [cached] = (await readdir(join(scratch, 'cache/node'))).filter((name) => name.endsWith('-stripped'));
    await truncate(join(scratch, 'cache/node', cached!), 5_000_000);
    const next = await build(outDir);
    assert.equal(next.exitCode, 0, next.all);
    assert.match(next.stderr, new RegExp(`seabuild: warning: the cached stripped node ${join(scratch, 'cache/node', cached!)} has sha256 [0-9a-f]{16}…, not the [0-9a-f]{16}… recorded when it was written: stripping it again`));
    assert.equal(await rebuilt(outDir), expected[0]);
    assert.deepEqual(await leftovers(outDir), []);
    assert.equal(await stat(deadWork).then(() => true, () => false), false, 'the next build removes the dead build\'s work folder');
  });
});
