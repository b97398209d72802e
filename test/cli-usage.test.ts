// The command line as a user meets it: help per command, a bad flag named with a "did you mean",
// --out-dir naming a file, colour on a terminal only (NO_COLOR respected) and a progress line for a
// stage that runs long (issue 25, item 7).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { runSeabuild } from './helpers/cli.ts';
import { node24, seabuildBin } from './helpers/fixture.ts';
import { findTool } from './helpers/engines.ts';
import { build } from '../src/build.ts';
import { createLogger } from '../src/log.ts';
import { createTimings } from '../src/timings.ts';

const ESC = '\x1b[';

test('build --help prints build\'s help; help build the same', async () => {
  for (const args of [['build', '--help'], ['help', 'build']]) {
    const run = await runSeabuild(args, { cwd: tmpdir() });
    assert.equal(run.exitCode, 0);
    assert.match(run.stdout, /^Usage: seabuild build \[options\]/);
    assert.match(run.stdout, /--out-dir/);
    assert.doesNotMatch(run.stdout, /^Commands:/m);
  }
  const general = await runSeabuild(['--help'], { cwd: tmpdir() });
  assert.match(general.stdout, /^Commands:/m);
});

test('a bad flag: one line naming it, with a "did you mean", exit 2; no raw parseArgs text', async () => {
  const cases: Array<[string[], RegExp]> = [
    [['build', '--minfy'], /^seabuild: error: unknown option --minfy \(did you mean --minify\?\)$/m],
    [['build', '--out-dr', 'x'], /^seabuild: error: unknown option --out-dr \(did you mean --out-dir\?\)$/m],
    [['build', '--port'], /^seabuild: error: option --port needs a value: --port VALUE$/m],
    [['build', '--minify=yes'], /^seabuild: error: option --minify takes no value$/m],
    [['biuld'], /^seabuild: error: unknown command "biuld" \(did you mean "build"\?\)$/m],
    [['report', '--jsn', 'x.json'], /^seabuild: error: unknown option --jsn \(did you mean --json\?\)$/m],
  ];
  for (const [args, expected] of cases) {
    const run = await runSeabuild(args, { cwd: tmpdir() });
    assert.equal(run.exitCode, 2, run.stderr);
    assert.match(run.stderr, expected);
    assert.doesNotMatch(run.stderr, /To specify a positional|'--/);
    assert.ok(!run.stderr.includes(ESC), 'no colour when stderr is not a terminal');
  }
});

test('--out-dir naming a file says so', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'seabuild-out-file-'));
  try {
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'out-file', version: '1.0.0', main: 'main.js' }));
    writeFileSync(join(dir, 'main.js'), '');
    await assert.rejects(build({ cwd: dir, outDir: 'main.js', image: false }), { code: 'OUTPUT_NOT_WRITABLE', file: join(dir, 'main.js'), message: /is a file/ });
    await assert.rejects(build({ cwd: dir, outDir: 'main.js/dist', image: false }), { code: 'OUTPUT_NOT_WRITABLE', file: join(dir, 'main.js/dist'), message: /is a file/ });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('colour on a terminal (a real pty through script(1)), none with NO_COLOR', async (t) => {
  if (!findTool('script')) { t.diagnostic('script(1) (util-linux) is on every Debian machine'); assert.fail('script(1) not found'); }
  const command = `${node24} ${seabuildBin} build --minfy`;
  const onTty = await execa('script', ['-qec', command, '/dev/null'], { reject: false, env: { NO_COLOR: '' } });
  assert.ok(onTty.stdout.includes(`${ESC}1;31mseabuild: error:`), JSON.stringify(onTty.stdout));
  const noColor = await execa('script', ['-qec', command, '/dev/null'], { reject: false, env: { NO_COLOR: '1' } });
  assert.match(noColor.stdout, /seabuild: error: unknown option --minfy/);
  assert.ok(!noColor.stdout.includes(ESC), JSON.stringify(noColor.stdout));
});

test('a stage running past the threshold shows one progress line on a terminal, erased when it ends; none elsewhere', async () => {
  const written: string[] = [];
  const tty = { isTTY: true, write: (text: string) => written.push(text) };
  const logger = createLogger({ stream: tty, env: {}, progressAfterMs: 100 });
  const timings = createTimings(logger);
  let release!: () => void;
  const stage = timings.time('image: app layer', () => new Promise<void>((resolve) => { release = resolve; }));
  // Wait on the condition (the line), not a fixed time.
  while (!written.some((text) => text.startsWith('… image: app layer ('))) await new Promise((resolve) => setTimeout(resolve, 20));
  logger.warn('seabuild: warning: something');
  assert.ok(written.includes('\r\x1b[2K'), 'the line is erased before a message');
  assert.ok(written.some((text) => text.startsWith(`${ESC}1;33mseabuild: warning:`)), 'a warning is yellow on a terminal');
  const afterWarning = written.length;
  while (!written.slice(afterWarning).some((text) => text.startsWith('… image: app layer ('))) await new Promise((resolve) => setTimeout(resolve, 20));
  release();
  await stage;
  assert.equal(written.at(-1), '\r\x1b[2K');

  const plain = createLogger({ stream: { isTTY: false, write: () => assert.fail('nothing written') }, env: {} });
  assert.equal(plain.progress, undefined, 'no progress off a terminal');
  const quiet = createLogger({ stream: tty, env: {}, quiet: true });
  assert.equal(quiet.progress, undefined, 'no progress with --quiet');
  const noColor: string[] = [];
  createLogger({ stream: { isTTY: true, write: (text: string) => noColor.push(text) }, env: { NO_COLOR: '1' } }).warn('seabuild: warning: x');
  assert.deepEqual(noColor, ['seabuild: warning: x\n']);
});
