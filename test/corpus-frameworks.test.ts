// Issue 22's corpus of deployed shapes (test/corpus-frameworks/README.md): each framework app built
// once by its own build (test/helpers/frameworks.ts), then `seabuild build --entry ENTRY` with zero
// configuration (or the one key entries.ts names), and compared byte for byte with `node ENTRY ARGS`:
// status, headers and body of each request. The executable starts from an empty folder, so neither
// node_modules nor the build output can answer for it; the apps marked `image` then run in their images, read-only.
import { after, describe, test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CorpusRequest } from './corpus/entries.ts';
import { frameworkEnv, frameworks, type FrameworkEntry } from './corpus-frameworks/entries.ts';
import { assertBuilt, buildApp, configureApp, limit, type CorpusBuild } from './helpers/corpus.ts';
import { askAll, dockerLoad, runEnv, startService, waitForHttp, type RecordedAnswer } from './helpers/corpus-run.ts';
import { requireTools, startDockerd, type Dockerd } from './helpers/engines.ts';
import { node24 } from './helpers/fixture.ts';
import { buildFramework, frameworksRoot, type BuiltFramework } from './helpers/frameworks.ts';
import { runSeabuild } from './helpers/cli.ts';
import { build } from '../src/index.ts';
import { SeabuildError } from '../src/errors.ts';
import { freePort } from './helpers/http.ts';

interface Prepared { app: BuiltFramework; build: CorpusBuild }
interface Answers { answers: RecordedAnswer[]; assetPath?: string | undefined }

const scratch = mkdtempSync(join(tmpdir(), 'seabuild-frameworks-test-'));
const prepared = new Map<string, Promise<Prepared>>();
const frameworkSlot = limit(1);
let dockerd: Promise<Dockerd> | undefined;

/** The framework's build (shared, cached), then the executable, in this test file's own out dir. */
function prepare(entry: FrameworkEntry): Promise<Prepared> {
  if (!prepared.has(entry.dir)) {
    prepared.set(entry.dir, (async () => {
      // One framework build at a time: each uses both cores (npm ci, then the framework's bundler).
      const app = await frameworkSlot(() => buildFramework(entry.dir));
      if (entry.config) await configureApp({ dir: app.dir, name: app.name, version: '' }, entry.config.seabuild);
      removeWrites(app, entry);
      const build = await buildApp({ dir: app.dir, name: app.name, version: '' }, entry.entry, [], join(scratch, entry.dir));
      return { app, build };
    })());
  }
  return prepared.get(entry.dir)!;
}

after(async () => {
  if (dockerd) await (await dockerd).stop();
  rmSync(scratch, { recursive: true, force: true });
});

/** Its hashed script, compressed, and a HEAD of it; most servers derive its validators from the file's mtime. */
function assetRequests(path: string): CorpusRequest[] {
  const ignoreHeaders = ['last-modified', 'etag'];
  return [{ path, headers: { 'accept-encoding': 'gzip, br' }, ignoreHeaders }, { path, method: 'HEAD', ignoreHeaders }];
}

/** The first match of the entry's asset pattern in the body of `/`, as an absolute path. */
function findAsset(entry: FrameworkEntry, answers: RecordedAnswer[]): string | undefined {
  if (!entry.asset) return undefined;
  const page = answers.find((answer) => answer.request === 'GET /')!;
  const found = entry.asset.exec(page.body)?.[0];
  assert.ok(found, `${entry.dir}: "/" under plain node names a script matching ${entry.asset}:\n${page.body.slice(0, 2000)}`);
  return found.startsWith('/') ? found : `/${found}`;
}

/** The entry's requests, then its hashed script (the one `/` names, unless the plain run already found it). */
async function ask(port: number, entry: FrameworkEntry, assetPath?: string): Promise<Answers> {
  const answers = await askAll(port, entry.requests);
  const asset = assetPath ?? findAsset(entry, answers);
  if (asset) answers.push(...await askAll(port, assetRequests(asset)));
  const stable = entry.stableExcerpt;
  return { answers: stable ? answers.map((answer) => ({ ...answer, body: stable(answer.body) })) : answers, assetPath: asset };
}

/**
 * One run (plain node in the app folder, or the executable in an empty folder) and its answers. Both
 * runs of an app use the same port: some pages name the URL they were asked for (Nuxt's 404).
 */
async function serveAndAsk(command: string, args: string[], cwd: string, entry: FrameworkEntry, port: number, assetPath?: string): Promise<Answers> {
  const service = await startService(command, args, { cwd, env: runEnv({ ...frameworkEnv, PORT: String(port) }), port });
  try {
    return await ask(port, entry, assetPath);
  } catch (error) {
    throw new Error(`${(error as Error).message}\n${service.output()}`);
  } finally {
    await service.terminate();
  }
}

/** The plain run: `node ENTRY ARGS` in the built app's folder, after removing what an earlier run cached. */
async function plainRun(app: BuiltFramework, entry: FrameworkEntry, port: number): Promise<Answers> {
  removeWrites(app, entry);
  return serveAndAsk(node24, [entry.entry, ...entry.args(port, app.dir)], app.dir, entry, port).finally(() => removeWrites(app, entry));
}

/** What a plain run wrote (a cache), so that neither the next run nor seabuild's build of the shared folder sees it. */
function removeWrites(app: BuiltFramework, entry: FrameworkEntry): void {
  for (const path of entry.writes ?? []) rmSync(join(app.dir, path), { recursive: true, force: true });
}

/** The executable's arguments in `dir`: none when the build's config `args` carries them (the default command), else node's. */
function executableArgs(entry: FrameworkEntry, port: number, dir: string): string[] {
  return entry.config?.seabuild.args ? [] : entry.args(port, dir);
}

/** One line per request whose answer differs: both sides' status, type and length, for a readable failure. */
function differences(actual: RecordedAnswer[], expected: RecordedAnswer[]): string[] {
  const line = (answer: RecordedAnswer | undefined): string => answer
    ? `${answer.status} ${answer.headers['content-type'] ?? '-'} ${answer.headers['content-length'] ?? `${answer.body.length} chars`}` : 'no answer';
  return expected.flatMap((plain, index) => {
    const other = actual[index];
    return other && JSON.stringify(other) === JSON.stringify(plain) ? [] : [`${plain.request}: node ${line(plain)}, executable ${line(other)}`];
  });
}

/** The same answers, byte for byte; a failure first lists which requests differ, then the first difference whole. */
function assertSameAnswers(actual: RecordedAnswer[], expected: RecordedAnswer[], context = ''): void {
  const differing = differences(actual, expected);
  if (differing.length === 0) return;
  const first = expected.findIndex((plain, index) => JSON.stringify(actual[index]) !== JSON.stringify(plain));
  assert.deepEqual(actual[first], expected[first], `${differing.length} of ${expected.length} answers differ from node's:\n${differing.join('\n')}\n${context}`);
}

async function docker(t: TestContext): Promise<Dockerd | undefined> {
  if (!requireTools(t, ['dockerd', 'docker'], 'the framework corpus runs its images')) return undefined;
  dockerd ??= startDockerd();
  return dockerd;
}

describe('framework outputs, deployed as their docs say (test/corpus-frameworks)', { concurrency: 1 }, () => {
  for (const entry of frameworks) {
    test(`${entry.dir}: the executable, started in an empty folder, answers as \`node ${entry.entry}\` does`, async (t) => {
      const { app, build } = await prepare(entry);
      const port = await freePort();
      const plain = await plainRun(app, entry, port);
      assertBuilt(build);
      const empty = mkdtempSync(join(scratch, `run-${entry.dir}-`));
      for (const path of entry.data ?? []) cpSync(join(app.dir, path), join(empty, path), { recursive: true });
      const executable = await serveAndAsk(build.executable, executableArgs(entry, port, empty), empty, entry, port, plain.assetPath);
      assertSameAnswers(executable.answers, plain.answers);

      if (!entry.image) return;
      await t.test('image: docker run --read-only serves the same answers', async (t) => {
        const engine = await docker(t);
        if (!engine) return;
        const reference = await dockerLoad(engine.docker, build.archive);
        const fresh = await plainRun(app, entry, port);
        const env = Object.entries({ ...frameworkEnv, PORT: String(port) }).flatMap(([key, value]) => ['-e', `${key}=${value}`]);
        // Its config read-only, its data folders writable (tmpfs): the volumes of a deployment.
        const volumes = [...(entry.data ?? []).flatMap((path) => ['-v', `${join(app.dir, path)}:/data/${path}:ro`]), ...(entry.volumes ?? []).flatMap((path) => ['--tmpfs', `/data/${path}:mode=1777`])];
        const workdir = volumes.length > 0 ? ['-w', '/data'] : [];
        const started = await engine.docker(['run', '-d', '--read-only', '--network', 'host', ...env, ...volumes, ...workdir, reference, ...executableArgs(entry, port, '/data')]);
        assert.equal(started.exitCode, 0, started.stderr);
        const id = started.stdout.trim();
        const logs = async (): Promise<string> => { const l = await engine.docker(['logs', id]); return `${l.stdout}${l.stderr}`; };
        try {
          await waitForHttp(port, () => true, 60_000, () => 'see docker logs');
          assertSameAnswers((await ask(port, entry, fresh.assetPath)).answers, fresh.answers, await logs());
        } finally {
          await engine.docker(['rm', '-f', id]);
        }
      });
    });
  }
});

describe('the working directory of a tree-mode service (runtime-stubs/vfs/run-entry.ts)', () => {
  test('node-red --userDir ./data from an empty folder: its data lands in that folder, as under node in the app folder', async () => {
    const entry = frameworks.find((candidate) => candidate.dir === 'node-red')!;
    const { app, build } = await prepare(entry);
    assertBuilt(build);
    const port = await freePort();
    // Two answers that need no flows (entries.ts says why /flows is not asked).
    const relative = { ...entry, requests: [{ path: '/settings' }, { path: '/theme' }] };
    removeWrites(app, entry);
    try {
      const plain = await serveAndAsk(node24, [entry.entry, '--userDir', './data'], app.dir, relative, port);
      const written = readdirSync(join(app.dir, 'data')).sort();
      const empty = mkdtempSync(join(scratch, 'run-node-red-relative-'));
      const executable = await serveAndAsk(build.executable, ['--userDir', './data'], empty, relative, port);
      assertSameAnswers(executable.answers, plain.answers);
      // What it writes before it listens (red.js starts its server once the runtime has started): in node's folder, and in the caller's.
      const atStart = ['.config.runtime.json', 'package.json', 'settings.js'];
      assert.deepEqual(written.filter((name) => atStart.includes(name)), atStart, `node wrote its user directory: ${written.join(', ')}`);
      assert.deepEqual(readdirSync(join(empty, 'data')).filter((name) => atStart.includes(name)).sort(), atStart);
    } finally {
      removeWrites(app, entry);
    }
  });
});

describe('bad input (issue 22)', () => {
  for (const entry of frameworks.filter((candidate) => !candidate.entry.startsWith('node_modules/'))) {
    test(`${entry.dir} not built yet: ENTRY_NOT_FOUND names the entry and the build that makes it (${entry.buildCommand})`, async () => {
      // The app as committed: neither installed nor built.
      const dir = mkdtempSync(join(scratch, `unbuilt-${entry.dir}-`));
      cpSync(join(frameworksRoot, entry.dir), dir, { recursive: true });
      const entryPath = join(dir, entry.entry);
      await assert.rejects(build({ cwd: dir, entry: entry.entry, image: false }), (error: unknown) => {
        assert.ok(error instanceof SeabuildError, `expected a SeabuildError, got ${String(error)}`);
        assert.equal(error.code, 'ENTRY_NOT_FOUND');
        assert.equal(error.file, entryPath);
        assert.ok(error.fix?.includes('npm run build') && error.fix.includes(entry.buildCommand), `the fix names the build: ${error.fix}`);
        return true;
      });
      const cli = await runSeabuild(['build', '--no-image', '--entry', entry.entry], { cwd: dir });
      assert.equal(cli.exitCode, 1, cli.all);
      assert.ok(cli.stderr.includes(entryPath), `stderr names the entry: ${cli.stderr}`);
      assert.ok(cli.stderr.includes(`npm run build (${entry.buildCommand}`), `stderr names the build: ${cli.stderr}`);
      assert.doesNotMatch(cli.stderr, /\n\s+at /, 'no stack trace without --debug');
    });
  }
});
