// Plain entries (issue 10): apps that never import seabuild run in the executable as under
// `node ENTRY`, with the runtime's commands, healthcheck and drain around them. Unit fixtures in
// test/fixtures/plain, each compared with plain node 24; real apps are in test/corpus.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { request, Agent } from 'node:http';
import { execa } from 'execa';
import { copyFixture, node24, removeFixture } from './helpers/fixture.ts';
import { runSeabuild } from './helpers/cli.ts';
import { freePort, httpRequest, startServer } from './helpers/http.ts';
import { createTestDatabase, ensurePostgres } from './helpers/postgres.ts';
import { findTool, requireTools, startDockerd, type Dockerd } from './helpers/engines.ts';

const noCa = { NODE_EXTRA_CA_CERTS: '', NODE_OPTIONS: '' };

async function built(fixture: string, args: string[] = ['--no-image']): Promise<string> {
  const dir = await copyFixture(`plain/${fixture}`);
  const result = await runSeabuild(['build', ...args], { cwd: dir });
  assert.equal(result.exitCode, 0, result.all);
  return dir;
}

function run(file: string, args: string[], options: { cwd: string; env?: Record<string, string>; input?: string }) {
  return execa(file, args, { cwd: options.cwd, reject: false, env: { ...noCa, ...options.env }, ...(options.input !== undefined ? { input: options.input } : { stdin: 'ignore' }) });
}

describe('a plain service (listens itself, no seabuild import)', () => {
  let dir: string;
  let exe: string;
  before(async () => {
    dir = await built('service');
    exe = join(dir, 'dist/plain-service');
  });
  after(() => removeFixture(dir));

  test('the build never runs the app and writes nothing into the app folder', () => {
    assert.deepEqual(readdirSync(dir).sort(), ['dist', 'migrations', 'node_modules', 'package.json', 'src']);
  });

  test('./app, ./app ARGS and ./app serve ARGS answer as node ENTRY ARGS does', async () => {
    for (const [exeArgs, nodeArgs] of [[[], []], [['--port-flag', 'x'], ['--port-flag', 'x']], [['serve', 'version'], ['version']]] as const) {
      const underNode = await startServer(node24, [join(dir, 'src/server.js'), ...nodeArgs], noCa);
      const inExe = await startServer(exe, [...exeArgs], noCa);
      try {
        const expected = (await httpRequest(underNode.port, '/')).body.toString();
        const actual = (await httpRequest(inExe.port, '/')).body.toString();
        assert.equal(actual, expected, `args ${JSON.stringify(exeArgs)}`);
        assert.match(actual, /"mainIsEntry":true/);
        assert.match(actual, /"hasSeabuildCommand":false/);
      } finally {
        underNode.child.kill('SIGKILL');
        inExe.child.kill('SIGTERM');
        await inExe.exited;
      }
    }
  });

  test('built-in commands answer without starting the app', async () => {
    const version = await run(exe, ['version', '--json'], { cwd: dir });
    assert.equal(version.exitCode, 0);
    assert.equal(JSON.parse(version.stdout).version, '2.0.0');
    const help = await run(exe, ['help'], { cwd: dir });
    assert.match(help.stdout, /serve ARGS runs it with ARGS/);
    assert.match(help.stdout, /HEALTHCHECK_PATH/);
    assert.doesNotMatch(help.stdout + help.stderr, /listening/);
  });

  test('healthcheck probes the running service: healthy below 500, a clear failure when nothing answers', async () => {
    const served = await startServer(exe, [], noCa);
    try {
      const port = String(served.port);
      assert.equal((await run(exe, ['healthcheck'], { cwd: dir, env: { PORT: port } })).exitCode, 0);
      assert.equal((await run(exe, ['healthcheck'], { cwd: dir, env: { PORT: port, HEALTHCHECK_PATH: '/missing' } })).exitCode, 0, '404 is alive');
    } finally {
      served.child.kill('SIGTERM');
      await served.exited;
    }
    const down = await run(exe, ['healthcheck'], { cwd: dir, env: { PORT: String(await freePort()) } });
    assert.equal(down.exitCode, 1);
    assert.match(down.stderr, /ECONNREFUSED/);
  });

  test('SIGTERM drains: an in-flight request finishes, a keep-alive request gets Connection: close, exit 0', async () => {
    const served = await startServer(exe, [], noCa);
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const get = (path: string) => new Promise<{ status: number; connection?: string; body: string }>((resolve, reject) => {
      request({ host: '127.0.0.1', port: served.port, path, agent }, (res) => {
        let body = '';
        res.on('data', (c) => { body += c; });
        res.on('end', () => resolve({ status: res.statusCode!, connection: res.headers.connection, body }));
      }).on('error', reject).end();
    });
    assert.equal((await get('/')).connection, 'keep-alive');
    const slow = httpRequest(served.port, '/slow?ms=600');
    await new Promise((r) => setTimeout(r, 150));
    served.child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 150));
    const onOpenConnection = await get('/');
    assert.equal(onOpenConnection.status, 200);
    assert.equal(onOpenConnection.connection, 'close');
    assert.equal((await slow).body.toString(), 'slow done after 600 ms\n');
    const exit = await served.exited;
    assert.deepEqual(exit, { code: 0, signal: null }, served.output());
    assert.match(served.output(), /SIGTERM: draining/);
    agent.destroy();
  });

  test('migrate runs the embedded migrations against DATABASE_URL (the app does not depend on pg)', async (t) => {
    const available = await ensurePostgres();
    if (!available.ok) { if (process.env.CI === 'true') throw new Error(available.reason); t.skip(available.reason); return; }
    const db = await createTestDatabase();
    try {
      const applied = await run(exe, ['migrate'], { cwd: dir, env: { DATABASE_URL: db.url } });
      assert.equal(applied.exitCode, 0, applied.stderr);
      assert.deepEqual(await db.query('select count(*)::int as n from items'), [{ n: 0 }]);
      const status = await run(exe, ['migrate', 'status'], { cwd: dir, env: { DATABASE_URL: db.url } });
      assert.match(status.stdout, /0001.*applied/);
    } finally {
      await db.drop();
    }
  });
});

describe('plain entries: ESM, a program that handles SIGTERM itself, a command-line program', () => {
  const dirs: string[] = [];
  after(async () => { for (const d of dirs) await removeFixture(d); });

  test('ESM: import.meta.main is true in the entry only, argv as under node', async () => {
    const dir = await built('esm');
    dirs.push(dir);
    const expected = await run(node24, ['src/main.js', 'a', '--b'], { cwd: dir });
    const actual = await run(join(dir, 'dist/plain-esm'), ['a', '--b'], { cwd: dir });
    assert.equal(actual.stdout, expected.stdout);
    assert.match(actual.stdout, /"entryMain":true,"helperMain":false/);
  });

  test('an app with its own SIGTERM handler keeps it: no drain, its own output and exit code', async () => {
    const dir = await built('own-sigterm');
    dirs.push(dir);
    const port = await freePort();
    const child = spawn(join(dir, 'dist/own-sigterm'), [], { env: { ...process.env, ...noCa, PORT: String(port) }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (c) => { output += c; });
    child.stderr.on('data', (c) => { output += c; });
    while (!output.includes('up')) await new Promise((r) => setTimeout(r, 50));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    assert.equal(await exited, 0);
    assert.equal(output, 'up\nown handler: closing\nown handler: bye\n');
  });

  test('a package bin is a command-line program by default: every argument is its own, stdin, exit codes', async () => {
    const dir = await built('cli');
    dirs.push(dir);
    const exe = join(dir, 'dist/plain-cli');
    for (const [args, input] of [[['--version'], undefined], [['version'], undefined], [['help'], undefined], [['--upper'], 'hello stdin\n'], [[], ''], [['fail'], undefined]] as const) {
      const expected = await run(node24, ['bin/cli.js', ...args], { cwd: dir, ...(input !== undefined ? { input } : {}) });
      const actual = await run(exe, [...args], { cwd: dir, ...(input !== undefined ? { input } : {}) });
      assert.deepEqual({ stdout: actual.stdout, stderr: actual.stderr, exitCode: actual.exitCode }, { stdout: expected.stdout, stderr: expected.stderr, exitCode: expected.exitCode }, `args ${JSON.stringify(args)}`);
    }
    const thrown = await run(exe, ['throw'], { cwd: dir });
    assert.equal(thrown.exitCode, 1);
    assert.match(thrown.stderr, /Error: plain-cli: thrown on purpose/);
    const runtime = await run(exe, [], { cwd: dir, env: { SEABUILD_COMMAND: 'version --json' } });
    assert.equal(JSON.parse(runtime.stdout).version, '0.3.0', 'the build\'s channel still reaches the runtime');
  });
});

describe('the smoke run boots the service inside the image rootfs', { skip: process.getuid?.() !== 0 && process.env.CI !== 'true' ? 'needs root (chroot, network namespaces)' : false }, () => {
  const dirs: string[] = [];
  after(async () => { for (const d of dirs) await removeFixture(d); });

  async function failingBuild(fixture: string, args: string[] = []) {
    const dir = await copyFixture(`plain/${fixture}`);
    dirs.push(dir);
    const result = await runSeabuild(['build', ...args], { cwd: dir });
    return { dir, result };
  }

  test('an app that exits at once: its exit code and its own message, and a fix that names verify.env', async () => {
    const { dir, result } = await failingBuild('crash');
    assert.equal(result.exitCode, 1);
    assert.match(result.stderr, /VERIFY_BOOT_FAILED|the service exited 3 before it answered HTTP/);
    assert.match(result.stderr, /fatal: DATABASE_URL is not set/);
    assert.match(result.stderr, /--verify-env/);
    assert.doesNotMatch(result.stderr, /same node/);
    assert.deepEqual(readdirSync(join(dir, 'dist')).filter((f) => f.endsWith('.image.tar')), []);
    const withEnv = await runSeabuild(['build', '--verify-env', 'DATABASE_URL=postgres://unused'], { cwd: dir });
    assert.equal(withEnv.exitCode, 0, withEnv.all);
    assert.match(withEnv.all ?? '', /served HTTP 200/);
  });

  test('a stop that ends in 143 from the app\'s own SIGTERM handler (as Next.js standalone) is clean; another code is not', async () => {
    const dir = await built('stop-code', []);
    dirs.push(dir);
    const other = await runSeabuild(['build', '--verify-env', 'STOP_CODE=1'], { cwd: dir });
    assert.equal(other.exitCode, 1);
    assert.match(other.stderr, /the service exited 1 after SIGTERM \(a clean stop exits 0 or 143\)/);
  });

  test('an app that never listens: did not answer within the time, with its output', async () => {
    const { dir, result } = await failingBuild('never-listens', ['--verify-timeout-ms', '2000']);
    assert.equal(result.exitCode, 1);
    assert.match(result.stderr, /did not answer HTTP on port 3000 within 2 s/);
    assert.match(result.stderr, /working in the background, serving nothing/);
    const skipped = await runSeabuild(['build', '--no-verify-boot'], { cwd: dir });
    assert.equal(skipped.exitCode, 0, skipped.all);
  });

  test('an app that listens on another port than PORT is told which port it listens on', async () => {
    const { result } = await failingBuild('other-port', ['--verify-timeout-ms', '2000']);
    assert.equal(result.exitCode, 1);
    assert.match(result.stderr, /listens on port 4123, not on PORT=3000/);
    assert.match(result.stderr, /"port" to 4123/);
  });
});

describe('plain images under a real dockerd', () => {
  let docker: Dockerd | undefined;
  const dirs: string[] = [];
  before(async () => {
    if (!findTool('dockerd')) return;
    docker = await startDockerd();
  });
  after(async () => {
    await docker?.stop();
    for (const d of dirs) await removeFixture(d);
  });

  async function load(fixture: string): Promise<string> {
    const dir = await built(fixture, []);
    dirs.push(dir);
    const archive = readdirSync(join(dir, 'dist')).find((f) => f.endsWith('.image.tar'))!;
    const loaded = await docker!.docker(['load', '-i', join(dir, 'dist', archive)]);
    assert.equal(loaded.exitCode, 0, loaded.stderr);
    return /Loaded image: (\S+)/.exec(loaded.stdout)![1]!;
  }

  test('a plain service: docker run serves and is healthy, migrate migrates, docker stop drains and exits 0', async (t) => {
    if (!requireTools(t, ['dockerd', 'runc'], 'plain images under docker')) return;
    const available = await ensurePostgres();
    if (!available.ok) throw new Error(available.reason);
    const image = await load('service');
    const db = await createTestDatabase();
    try {
      const migrated = await docker!.docker(['run', '--rm', '--network', 'host', '-e', `DATABASE_URL=${db.url}`, image, 'migrate']);
      assert.equal(migrated.exitCode, 0, migrated.stderr);
      assert.deepEqual(await db.query('select count(*)::int as n from items'), [{ n: 0 }]);
    } finally {
      await db.drop();
    }
    const port = await freePort();
    const started = await docker!.docker(['run', '-d', '--read-only', '--cap-drop', 'ALL', '--network', 'host', '-e', `PORT=${port}`, '--health-interval', '1s', '--health-start-period', '1s', image]);
    assert.equal(started.exitCode, 0, started.stderr);
    const container = started.stdout.trim();
    let health = '';
    for (let i = 0; i < 40 && health !== 'healthy'; i++) {
      await new Promise((r) => setTimeout(r, 250));
      health = (await docker!.docker(['inspect', '-f', '{{.State.Health.Status}}', container])).stdout.trim();
    }
    assert.equal(health, 'healthy');
    const answer = JSON.parse((await httpRequest(port, '/')).body.toString());
    assert.equal(answer.mainIsEntry, true);
    const stopStarted = performance.now();
    assert.equal((await docker!.docker(['stop', '--time', '10', container])).exitCode, 0);
    const stopMs = performance.now() - stopStarted;
    const state = (await docker!.docker(['inspect', '-f', '{{.State.ExitCode}}', container])).stdout.trim();
    const logs = await docker!.docker(['logs', container]);
    await docker!.docker(['rm', container]);
    assert.equal(state, '0', logs.stdout + logs.stderr);
    assert.match(logs.stderr, /SIGTERM: draining/);
    assert.ok(stopMs < 5000, `docker stop took ${Math.round(stopMs)} ms (a SIGKILL after the timeout would be 10 s)`);
  });

  test('a command-line program: docker run IMAGE ARGS passes every argument and stdin, with its exit code', async (t) => {
    if (!requireTools(t, ['dockerd', 'runc'], 'plain images under docker')) return;
    const image = await load('cli');
    const config = JSON.parse((await docker!.docker(['inspect', image])).stdout)[0].Config;
    assert.equal(config.Cmd ?? null, null);
    assert.equal(config.Healthcheck ?? null, null);
    assert.equal((await docker!.docker(['run', '--rm', image, '--version'])).stdout, 'plain-cli v0.3.0 (its own answer)');
    const piped = await execa(existsSync('/usr/bin/docker') ? '/usr/bin/docker' : 'docker', ['run', '--rm', '-i', '--network', 'none', image, '--upper'], { input: 'from stdin\n', reject: false, env: { DOCKER_HOST: docker!.host } });
    assert.equal(piped.stdout, '11 chars: FROM STDIN');
    assert.equal((await docker!.docker(['run', '--rm', image, 'fail'])).exitCode, 4);
  });
});
