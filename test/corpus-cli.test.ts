// Issue 10's corpus of real command-line programs (test/corpus/README.md): each built with
// `seabuild build --cli --entry ENTRY` and compared with the same entry under plain node 24 —
// stdout, stderr and exit code for each argument set, stdin included, with no word reserved
// (`./tool version`, `./tool help`, `--version` and `--help` are the program's own answers) —
// standalone and, for some cases, in the image (`docker run -i`).
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { clis, type CliEntry } from './corpus/entries.ts';
import { buildApp, installApp, limit, removeApp, type CorpusApp, type CorpusBuild } from './helpers/corpus.ts';
import { comparableCli, dockerLoad, runCommand, runEnv, type CliResult } from './helpers/corpus-run.ts';
import { requireTools, startDockerd, type Dockerd } from './helpers/engines.ts';
import { node24 } from './helpers/fixture.ts';

const apps: CorpusApp[] = [];
const prepared = new Map<string, Promise<{ app: CorpusApp; build: CorpusBuild }>>();
const cache = mkdtempSync(join(tmpdir(), 'seabuild-corpus-xdg-'));
let dockerd: Promise<Dockerd> | undefined;
const loadSlot = limit(1);

function prepare(entry: CliEntry): Promise<{ app: CorpusApp; build: CorpusBuild }> {
  if (!prepared.has(entry.dir)) {
    prepared.set(entry.dir, (async () => {
      const app = await installApp(entry.dir);
      apps.push(app);
      return { app, build: await buildApp(app, entry.entry, ['--cli']) };
    })());
  }
  return prepared.get(entry.dir)!;
}
for (const entry of clis) void prepare(entry).catch(() => undefined);

after(async () => {
  if (dockerd) await (await dockerd).stop();
  for (const app of apps) await removeApp(app);
  rmSync(cache, { recursive: true, force: true });
});

type Labelled = CliResult & { command: string };
/** `PREFIX "arg" "arg" < stdin`: names a case in a failure. */
const label = (prefix: string, each: { args: string[]; stdin?: string }) =>
  `${prefix} ${each.args.map((arg) => JSON.stringify(arg)).join(' ')}${each.stdin === undefined ? '' : ' < stdin'}`;

/** `docker run --rm [-i] IMAGE ARGS` against the private daemon, stdin fed when given. */
async function dockerRun(engine: Dockerd, reference: string, args: string[], stdin?: string): Promise<CliResult> {
  const result = await execa(existsSync('/usr/bin/docker') ? '/usr/bin/docker' : 'docker', ['run', '--rm', ...(stdin === undefined ? [] : ['-i']), '--network', 'none', reference, ...args], {
    env: { DOCKER_HOST: engine.host }, reject: false, timeout: 60_000, stripFinalNewline: false,
    ...(stdin === undefined ? { stdin: 'ignore' as const } : { input: stdin }),
  });
  return { stdout: String(result.stdout), stderr: String(result.stderr), exitCode: result.exitCode };
}

describe('real command-line programs, unchanged (test/corpus)', { concurrency: 2 }, () => {
  for (const entry of clis) {
    test(`${entry.dir}: ./tool ARGS prints what node ENTRY ARGS prints, standalone and in the image`, async (t) => {
      const { app, build } = await prepare(entry);
      assert.equal(build.exitCode, 0, `seabuild build --cli failed:\n${build.output}`);
      const env = runEnv({ XDG_CACHE_HOME: cache });
      const expected: CliResult[] = [];
      for (const each of entry.cases) {
        const plain = await runCommand(node24, [entry.entry, ...each.args], { cwd: app.dir, env, stdin: each.stdin });
        expected.push(comparableCli(plain, each.stackTrace));
      }

      // Every case is run before comparing, so that a failure shows all the cases that differ.
      await t.test('standalone', async () => {
        const actual: Labelled[] = [];
        for (const each of entry.cases) {
          const result = await runCommand(build.executable, each.args, { cwd: app.dir, env, stdin: each.stdin });
          actual.push({ command: label('./tool', each), ...comparableCli(result, each.stackTrace) });
        }
        assert.deepEqual(actual, entry.cases.map((each, index) => ({ command: label('./tool', each), ...expected[index]! })));
      });

      await t.test('image: docker run', async (t) => {
        if (!requireTools(t, ['dockerd', 'docker'], 'the corpus runs its images')) return;
        dockerd ??= startDockerd();
        const engine = await dockerd;
        const reference = await loadSlot(() => dockerLoad(engine.docker, build.archive));
        const actual: Labelled[] = [];
        for (const index of entry.inImage) {
          const each = entry.cases[index]!;
          const result = await dockerRun(engine, reference, each.args, each.stdin);
          actual.push({ command: label('docker run IMAGE', each), ...comparableCli(result, each.stackTrace) });
        }
        assert.deepEqual(actual, entry.inImage.map((index) => ({ command: label('docker run IMAGE', entry.cases[index]!), ...expected[index]! })));
      });
    });
  }
});
