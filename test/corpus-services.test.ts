// Issue 10's corpus of real services (test/corpus/README.md): each built with zero config
// (`seabuild build --entry ENTRY`), then compared byte for byte with the same entry under plain
// node 24 — HTTP status, headers and body of each request — standalone and in the image under a
// private dockerd (`docker run`, healthcheck healthy, `docker stop` drains and exits 0).
import { after, describe, test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { services, type ServiceEntry } from './corpus/entries.ts';
import { assertBuilt, buildApp, configureApp, executableArgs, installApp, limit, removeApp, type CorpusApp, type CorpusBuild } from './helpers/corpus.ts';
import { askAll, dockerLoad, firstWebSocketMessage, runCommand, runEnv, startService, waitForHttp, type Ended, type RecordedAnswer } from './helpers/corpus-run.ts';
import { requireTools, startDockerd, type Dockerd } from './helpers/engines.ts';
import { node24 } from './helpers/fixture.ts';
import { freePort } from './helpers/http.ts';

interface Prepared { app: CorpusApp; build: CorpusBuild; zeroConfig?: CorpusBuild }

const apps: CorpusApp[] = [];
const prepared = new Map<string, Promise<Prepared>>();
const cache = mkdtempSync(join(tmpdir(), 'seabuild-corpus-xdg-'));
let dockerd: Promise<Dockerd> | undefined;
const loadSlot = limit(1);

/** Installs and builds an app once; json-server is first built without its config (the smoke run must fail clearly). */
function prepare(entry: ServiceEntry): Promise<Prepared> {
  if (!prepared.has(entry.dir)) {
    prepared.set(entry.dir, (async () => {
      const app = await installApp(entry.dir);
      apps.push(app);
      let zeroConfig: CorpusBuild | undefined;
      if (entry.dir === 'json-server') zeroConfig = await buildApp(app, entry.entry, [], 'dist-zero-config');
      if (entry.config) await configureApp(app, entry.config.seabuild);
      return { app, build: await buildApp(app, entry.entry), zeroConfig };
    })());
  }
  return prepared.get(entry.dir)!;
}

/** Starts every app's install and build now, so that they queue while the first tests run. */
for (const entry of services) void prepare(entry).catch(() => undefined);

/** A server the cors-anywhere requests are proxied to (loopback only). */
const upstream: Promise<{ server: Server; port: number }> = (async () => {
  const server = createServer((req, res) => {
    res.writeHead(req.url === '/missing' ? 404 : 200, { 'content-type': 'text/plain', 'x-upstream': 'yes' });
    res.end(`upstream saw ${req.method} ${req.url} origin=${req.headers.origin ?? '-'}\n`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as { port: number }).port };
})();

after(async () => {
  (await upstream).server.close();
  if (dockerd) await (await dockerd).stop();
  for (const app of apps) await removeApp(app);
  rmSync(cache, { recursive: true, force: true });
});

/** The HTTP answers, then the first WebSocket message when the entry names a path. */
async function ask(port: number, entry: ServiceEntry): Promise<RecordedAnswer[]> {
  const answers = await askAll(port, entry.requests((await upstream).port));
  if (entry.websocket) answers.push({ request: `WebSocket ${entry.websocket}`, status: 101, headers: {}, body: await firstWebSocketMessage(port, entry.websocket) });
  return answers;
}

/** One run of a service (plain node or the executable) on `port`: its answers and how SIGTERM ended it. */
async function serveAndAsk(command: string, args: string[], app: CorpusApp, entry: ServiceEntry, port: number): Promise<{ answers: RecordedAnswer[]; ended: Ended }> {
  const env = runEnv({ PORT: String(port), HOST: '127.0.0.1', XDG_CACHE_HOME: cache, ...entry.env });
  const service = await startService(command, args, { cwd: app.dir, env, port });
  const answers = await ask(port, entry).finally(() => service.terminate());
  return { answers, ended: await service.terminate() };
}

async function docker(t: TestContext): Promise<Dockerd | undefined> {
  if (!requireTools(t, ['dockerd', 'docker'], 'the corpus runs its images')) return undefined;
  dockerd ??= startDockerd();
  return dockerd;
}

describe('real services, unchanged (test/corpus)', { concurrency: 3 }, () => {
  for (const entry of services) {
    test(`${entry.dir}: the executable answers as plain node does, standalone and in the image`, async (t) => {
      const { app, build } = await prepare(entry);
      const port = await freePort();
      const plain = await serveAndAsk(node24, [entry.entry, ...entry.args(port)], app, entry, port);
      if (!entry.handlesSigterm) assert.equal(plain.ended.signal, 'SIGTERM', `${entry.dir} has no SIGTERM handler of its own under node`);

      await t.test('standalone: the same answers, byte for byte; SIGTERM ends it as the runtime promises', async () => {
        assertBuilt(build);
        const executable = await serveAndAsk(build.executable, executableArgs(entry.args(port)), app, entry, port);
        assert.deepEqual(executable.answers, plain.answers);
        const expected = entry.handlesSigterm ? { code: plain.ended.code, signal: plain.ended.signal } : { code: 0, signal: null };
        assert.deepEqual({ code: executable.ended.code, signal: executable.ended.signal }, expected, executable.ended.output);
      });

      await t.test('image: docker run serves the same answers, healthcheck reports healthy, docker stop drains and exits 0', async (t) => {
        assertBuilt(build);
        const engine = await docker(t);
        if (!engine) return;
        const reference = await loadSlot(() => dockerLoad(engine.docker, build.archive));
        const volumes = (entry.data ?? []).flatMap((path) => ['-v', `${join(app.dir, path)}:/data/${path}:ro`]);
        const env = Object.entries({ PORT: String(port), HOST: '127.0.0.1', ...entry.env }).flatMap(([key, value]) => ['-e', `${key}=${value}`]);
        const started = await engine.docker(['run', '-d', '--network', 'host', ...env, ...volumes, ...(volumes.length ? ['-w', '/data'] : []),
          '--health-interval', '1s', '--health-timeout', '5s', '--health-retries', '3', reference, ...executableArgs(entry.args(port))]);
        assert.equal(started.exitCode, 0, started.stderr);
        const id = started.stdout.trim();
        const logs = async () => { const l = await engine.docker(['logs', id]); return `${l.stdout}${l.stderr}`; };
        const inspect = async (format: string) => (await engine.docker(['inspect', '--format', format, id])).stdout.trim();
        try {
          await waitForHttp(port, () => true, 30_000, () => 'see docker logs');
          assert.deepEqual(await ask(port, entry), plain.answers);
          let health = '';
          for (let attempt = 0; attempt < 60 && health !== 'healthy'; attempt++) {
            health = await inspect('{{.State.Health.Status}}');
            if (health !== 'healthy') await new Promise((resolve) => setTimeout(resolve, 500));
          }
          assert.equal(health, 'healthy', `${await inspect('{{json .State.Health}}')}\n${await logs()}`);
          const stopped = await engine.docker(['stop', '--time', '20', id], { timeoutMs: 60_000 });
          assert.equal(stopped.exitCode, 0, stopped.stderr);
          assert.equal(await inspect('{{.State.ExitCode}}'), String(entry.handlesSigterm ? plain.ended.code : 0), await logs());
        } finally {
          await engine.docker(['rm', '-f', id]);
        }
      });
    });
  }
});

describe('bad input and built-in words (issue 10)', () => {
  const ipx = services.find((entry) => entry.dir === 'ipx')!;
  const jsonServer = services.find((entry) => entry.dir === 'json-server')!;

  // One such build is enough (each costs a full build): ipx's exit at once is checked standalone below.
  test('a service that cannot boot without its arguments fails the zero-config build with its own message, exit code kept', async () => {
    const { app, zeroConfig } = await prepare(jsonServer);
    assert.equal(zeroConfig!.exitCode, 1, zeroConfig!.output);
    // The build shows the first lines of the app's output: json-server's usage.
    assert.ok(zeroConfig!.output.includes('-p, --port                     Set port'), `the app's own output is shown:\n${zeroConfig!.output}`);
    assert.match(zeroConfig!.output, /exited 1/, 'the exit code is named');
    assert.match(zeroConfig!.output, /--no-verify-boot/, 'names the lighter check');
    assert.doesNotMatch(zeroConfig!.output, /same node/);
    assert.ok(!existsSync(join(app.dir, 'dist-zero-config', app.name)), 'no executable left behind');
  });

  test('ipx: `./app ARGS` is `node ENTRY ARGS` unless ARGS starts with a built-in word; `serve` passes the rest on', async () => {
    const { app, build } = await prepare(ipx);
    assertBuilt(build);
    const env = runEnv({ XDG_CACHE_HOME: cache });
    const same = [
      { node: [], executable: [] },                                   // exits at once: usage, " ERROR  No command specified.", exit 1
      { node: ['--version'], executable: ['--version'] },             // not a built-in word: the app's own answer
      { node: ['version'], executable: ['serve', 'version'] },        // a built-in word as the app's argument
    ];
    for (const args of same) {
      const expected = await runCommand(node24, [ipx.entry, ...args.node], { cwd: app.dir, env });
      const actual = await runCommand(build.executable, args.executable, { cwd: app.dir, env });
      assert.deepEqual(actual, expected, `./app ${args.executable.join(' ')}`);
    }
    const version = await runCommand(build.executable, ['version', '--json'], { cwd: app.dir, env });
    assert.equal(version.exitCode, 0, version.stderr);
    assert.equal(JSON.parse(version.stdout).name, 'corpus-ipx', 'version --json is seabuild\'s built-in');
    const help = await runCommand(build.executable, ['help'], { cwd: app.dir, env });
    assert.equal(help.exitCode, 0, help.stderr);
    assert.doesNotMatch(help.stdout + help.stderr, /USAGE ipx/, 'help is seabuild\'s, it does not load the app');
  });
});
