// Graceful stop under keep-alive load (issue 16): SIGTERM while 32 keep-alive connections are busy
// must lose no request that reached an open connection. The only errors allowed are connection
// refusals after the listener closed. Real load generators: autocannon (npm) and node's own
// http.Agent (the client that measured 32 ECONNRESETs of 13,005 before the drain was rewritten).
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { Agent, request } from 'node:http';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { copyFixture, removeFixture } from './helpers/fixture.ts';
import { runSeabuild } from './helpers/cli.ts';
import { freePort } from './helpers/http.ts';
import { findTool, requireTools, startDockerd, type Dockerd } from './helpers/engines.ts';

interface LoadResult { responses: number; non2xx: number; errors: Record<string, number> }

const noCa = { NODE_EXTRA_CA_CERTS: '', NODE_OPTIONS: '' };
const connections = 32;

/** autocannon for `durationS`, `stop()` called after `stopAfterMs`. */
async function autocannonLoad(port: number, stop: () => void, stopAfterMs = 1000, durationS = 3): Promise<LoadResult> {
  const errors: Record<string, number> = {};
  // Without a callback autocannon returns its instance, which is also a promise of the result.
  const instance = autocannon({ url: `http://127.0.0.1:${port}/`, connections, duration: durationS, pipelining: 1 }) as unknown as autocannon.Instance & Promise<autocannon.Result>;
  instance.on('reqError', (error: NodeJS.ErrnoException) => { errors[error.code ?? error.message] = (errors[error.code ?? error.message] ?? 0) + 1; });
  const timer = setTimeout(stop, stopAfterMs);
  const result = await instance;
  clearTimeout(timer);
  return { responses: result['2xx'], non2xx: result.non2xx, errors };
}

/** `connections` loops of GET / over node's keep-alive http.Agent until the server is gone. */
async function agentLoad(port: number, stop: () => void, stopAfterMs = 1000, durationMs = 3000): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: connections });
  const result: LoadResult = { responses: 0, non2xx: 0, errors: {} };
  const until = Date.now() + durationMs;
  const once = () => new Promise<void>((resolve) => {
    request({ host: '127.0.0.1', port, path: '/', agent }, (res) => {
      res.resume();
      res.on('end', () => { if (res.statusCode === 200) result.responses++; else result.non2xx++; resolve(); });
    }).on('error', (error: NodeJS.ErrnoException) => { result.errors[error.code ?? error.message] = (result.errors[error.code ?? error.message] ?? 0) + 1; resolve(); }).end();
  });
  const loop = async () => { while (Date.now() < until) await once(); };
  const timer = setTimeout(stop, stopAfterMs);
  await Promise.all(Array.from({ length: connections }, loop));
  clearTimeout(timer);
  agent.destroy();
  return result;
}

function assertNothingLost(result: LoadResult, label: string): void {
  const { ECONNREFUSED: _refused = 0, ...others } = result.errors;
  assert.deepEqual(others, {}, `${label}: errors other than connection refused: ${JSON.stringify(result)}`);
  assert.equal(result.non2xx, 0, `${label}: ${JSON.stringify(result)}`);
  assert.ok(result.responses > 100, `${label}: the load reached the server (${JSON.stringify(result)})`);
}

/** Starts the executable on a free port; resolves once it answers. */
async function startExecutable(exe: string) {
  const port = await freePort();
  const child = spawn(exe, [], { env: { ...process.env, ...noCa, PORT: String(port), HOST: '127.0.0.1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (c) => { output += c; });
  child.stderr.on('data', (c) => { output += c; });
  const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  while (!/listening/.test(output)) {
    if (child.exitCode !== null) throw new Error(`exited before listening: ${output}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return { port, stop: () => child.kill('SIGTERM'), exited, output: () => output };
}

describe('SIGTERM under keep-alive load loses no request', () => {
  const apps: Record<string, string> = {};
  let docker: Dockerd | undefined;
  const dirs: string[] = [];
  before(async () => {
    for (const [fixture, name, args] of [['plain/service', 'plain-service', []], ['hello', 'hello-fixture', ['--no-image']]] as const) {
      const dir = await copyFixture(fixture);
      dirs.push(dir);
      const built = await runSeabuild(['build', ...args], { cwd: dir });
      assert.equal(built.exitCode, 0, built.all);
      apps[fixture] = join(dir, 'dist', name);
    }
    if (findTool('dockerd')) docker = await startDockerd();
  });
  after(async () => {
    await docker?.stop();
    for (const dir of dirs) await removeFixture(dir);
  });

  for (const fixture of ['plain/service', 'hello']) {
    for (const [client, load] of [['autocannon', autocannonLoad], ['http.Agent', agentLoad]] as const) {
      test(`${fixture === 'hello' ? 'a runApp app' : 'a plain service'}, ${client}, ${connections} connections: only refusals after the listener closed, exit 0`, async () => {
        const app = await startExecutable(apps[fixture]!);
        const result = await load(app.port, app.stop);
        const exit = await app.exited;
        console.log(`# ${fixture} ${client}: ${JSON.stringify(result)}`);
        assertNothingLost(result, `${fixture} ${client}`);
        assert.deepEqual(exit, { code: 0, signal: null }, app.output());
      });
    }
  }

  test('docker stop of a plain service under autocannon load: only refusals, exit 0', async (t) => {
    if (!requireTools(t, ['dockerd', 'runc'], 'docker stop under load')) return;
    const loaded = await docker!.docker(['load', '-i', join(dirs[0]!, 'dist/plain-service.image.tar')]);
    assert.equal(loaded.exitCode, 0, loaded.stderr);
    const port = await freePort();
    const started = await docker!.docker(['run', '-d', '--network', 'host', '-e', `PORT=${port}`, 'plain-service:2.0.0']);
    assert.equal(started.exitCode, 0, started.stderr);
    const container = started.stdout.trim();
    for (let i = 0; i < 100; i++) {
      const up = await new Promise<boolean>((resolve) => request({ host: '127.0.0.1', port, path: '/', agent: false }, (res) => { res.resume(); resolve(true); }).on('error', () => resolve(false)).end());
      if (up) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    let stopped: Promise<unknown> | undefined;
    const result = await autocannonLoad(port, () => { stopped = docker!.docker(['stop', '--time', '10', container]); });
    await stopped;
    const exitCode = (await docker!.docker(['inspect', '-f', '{{.State.ExitCode}}', container])).stdout.trim();
    await docker!.docker(['rm', container]);
    console.log(`# docker stop autocannon: ${JSON.stringify(result)}`);
    assertNothingLost(result, 'docker stop');
    assert.equal(exitCode, '0');
  });
});
