// The foundation end to end: build the fixture app, run the executable as a child process.
import { before, after, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { execa } from 'execa';
import { build, type BuildResult } from '../src/index.ts';
import { copyFixture, node24, removeFixture, seabuildBin } from './helpers/fixture.ts';
import { httpRequest, startServer } from './helpers/http.ts';

let dir: string;
let result: BuildResult;
let exe: string;
const env = { SOURCE_DATE_EPOCH: '1700000000' };

before(async () => {
  dir = await copyFixture('hello');
  result = await build({ cwd: dir, image: false, env });
  exe = result.platforms[0]!.executable.path;
});
after(() => removeFixture(dir));

const runExe = (args: string[], extraEnv: Record<string, string> = {}) => execa(exe, args, { reject: false, env: { PATH: '/usr/bin:/bin', ...extraEnv }, extendEnv: false });

test('version: package name and version, Node version, build time from SOURCE_DATE_EPOCH', async () => {
  const { stdout, exitCode } = await runExe(['version']);
  assert.equal(exitCode, 0);
  assert.match(stdout, /^hello-fixture 1\.2\.3$/m);
  assert.match(stdout, /^node\s+v24\.\d+\.\d+$/m);
  assert.match(stdout, /^built\s+2023-11-14T22:13:20\.000Z$/m);
  const json = JSON.parse((await runExe(['version', '--json'])).stdout);
  assert.deepEqual(json, { name: 'hello-fixture', version: '1.2.3', node: json.node, builtAt: '2023-11-14T22:13:20.000Z' });
});

test('help: built-in and app commands, environment variables with defaults', async () => {
  const { stdout, exitCode } = await runExe(['help']);
  assert.equal(exitCode, 0);
  for (const command of ['serve', 'version', 'healthcheck', 'assets', 'greet']) assert.match(stdout, new RegExp(`^  ${command}\\s`, 'm'));
  assert.match(stdout, /PORT\s+.*\(default: 3000\)/);
  assert.match(stdout, /GREETING_STYLE\s+how to greet \(default: plain\)/);
});

test('assets: every file with its digested URL, size and digest', async () => {
  const listed = JSON.parse((await runExe(['assets', '--json'])).stdout) as Array<{ logicalName: string; url: string; sizeBytes: number; variants: Record<string, number> }>;
  assert.deepEqual(listed.map((a) => a.logicalName), ['css/app.css', 'js/app.js', 'logo.png']);
  const css = listed[0]!;
  assert.match(css.url, /^\/assets\/css\/app\.[0-9a-f]{10}\.css$/);
  assert.equal(css.sizeBytes, (await readFile(join(dir, 'public/css/app.css'))).length);
  assert.ok(css.variants.br! < css.variants.gzip! && css.variants.gzip! < css.sizeBytes, 'br < gzip < original for CSS');
  assert.deepEqual(listed[2]!.variants, {}, 'a PNG gets no compressed variant');
});

test('a reader that closes the pipe at once (`| true`): help, version, assets and seabuild --help end 0, no stack trace', async () => {
  const commands = [[exe, 'help'], [exe, 'version'], [exe, 'assets', '--json'], [node24, seabuildBin, '--help']];
  for (const [file, ...args] of commands) {
    const child = spawn(file!, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { PATH: '/usr/bin:/bin' } });
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (chunk) => { stderr += chunk; });
    const [code] = await once(child, 'close');
    assert.equal(code, 0, `${args.join(' ')}: ${stderr}`);
    assert.equal(stderr, '', args.join(' '));
  }
});

test('seabuild --version and seabuild version print its version', async () => {
  for (const args of [['--version'], ['version']]) {
    const { stdout, exitCode } = await execa(node24, [seabuildBin, ...args], { reject: false });
    assert.equal(exitCode, 0, args[0]);
    assert.match(stdout, /^seabuild \d+\.\d+\.\d+$/, args[0]);
  }
});

test('an app command and an unknown command', async () => {
  assert.equal((await runExe(['greet', 'Ada'])).stdout, 'Hello, Ada!');
  const unknown = await runExe(['frobnicate']);
  assert.equal(unknown.exitCode, 2);
  assert.match(unknown.stderr, /unknown command "frobnicate"/);
});

test('serve: a route, a digested asset with 304 and precompressed variants, HEAD, healthz, healthcheck', async () => {
  const server = await startServer(exe, []);
  try {
    const page = await httpRequest(server.port, '/');
    assert.equal(page.status, 200);
    const cssUrl = /href="([^"]+)"/.exec(page.body.toString())![1]!;
    const original = await readFile(join(dir, 'public/css/app.css'));

    const plain = await httpRequest(server.port, cssUrl);
    assert.equal(plain.status, 200);
    assert.deepEqual(plain.body, original);
    assert.equal(plain.headers['cache-control'], 'public, max-age=31536000, immutable');
    assert.equal(plain.headers['content-type'], 'text/css; charset=utf-8');
    assert.equal(plain.headers['content-encoding'], undefined);

    const br = await httpRequest(server.port, cssUrl, { headers: { 'Accept-Encoding': 'gzip, deflate, br' } });
    assert.equal(br.headers['content-encoding'], 'br');
    assert.deepEqual(brotliDecompressSync(br.body), original);
    const gz = await httpRequest(server.port, cssUrl, { headers: { 'Accept-Encoding': 'gzip' } });
    assert.equal(gz.headers['content-encoding'], 'gzip');
    assert.deepEqual(gunzipSync(gz.body), original);
    const brRefused = await httpRequest(server.port, cssUrl, { headers: { 'Accept-Encoding': 'br;q=0, gzip' } });
    assert.equal(brRefused.headers['content-encoding'], 'gzip');

    const notModified = await httpRequest(server.port, cssUrl, { headers: { 'If-None-Match': String(plain.headers.etag) } });
    assert.equal(notModified.status, 304);
    assert.equal(notModified.body.length, 0);
    const head = await httpRequest(server.port, cssUrl, { method: 'HEAD' });
    assert.equal(head.status, 200);
    assert.equal(Number(head.headers['content-length']), original.length);

    const logical = await httpRequest(server.port, '/assets/css/app.css');
    assert.equal(logical.status, 200);
    assert.equal(logical.headers['cache-control'], 'public, max-age=0, must-revalidate');
    assert.equal((await httpRequest(server.port, '/assets/nope.css')).status, 404);
    assert.equal((await httpRequest(server.port, '/healthz')).status, 200);
    assert.equal((await runExe(['healthcheck'], { PORT: String(server.port) })).exitCode, 0);
  } finally {
    server.child.kill('SIGTERM');
    await server.exited;
  }
  assert.equal((await runExe(['healthcheck'], { PORT: String(server.port) })).exitCode, 1, 'healthcheck fails when nothing serves');
});

test('SIGTERM during a slow request: the request finishes, new connections are refused, exit 0', async () => {
  const server = await startServer(exe, []);
  const slow = httpRequest(server.port, '/slow?ms=1500');
  await new Promise((r) => setTimeout(r, 300));
  server.child.kill('SIGTERM');
  await new Promise((r) => setTimeout(r, 200));
  await assert.rejects(httpRequest(server.port, '/'), /ECONNREFUSED/);
  const answer = await slow;
  assert.equal(answer.status, 200);
  assert.equal(answer.body.toString(), 'slept 1500\n');
  assert.deepEqual(await server.exited, { code: 0, signal: null });
});

test('SIGTERM with a request longer than SHUTDOWN_GRACE_MS: exits 1 after the grace period', async () => {
  const server = await startServer(exe, [], { SHUTDOWN_GRACE_MS: '300' });
  const slow = httpRequest(server.port, '/slow?ms=5000').catch((error: Error) => error);
  await new Promise((r) => setTimeout(r, 200));
  server.child.kill('SIGTERM');
  assert.deepEqual(await server.exited, { code: 1, signal: null });
  assert.ok((await slow) instanceof Error, 'the cut request sees its connection closed');
});

test('two builds of the same input give byte-identical executables', async () => {
  const second = await build({ cwd: dir, image: false, env, outDir: 'dist-again' });
  assert.equal(second.platforms[0]!.executable.sha256, result.platforms[0]!.executable.sha256);
  assert.equal(second.bundle.sha256, result.bundle.sha256);
});

test('development: the entry runs from source under plain Node with the same asset URLs', async () => {
  const fromSource = await execa(node24, [join(dir, 'src/main.ts'), 'assets', '--json'], { cwd: dir });
  const built = await runExe(['assets', '--json']);
  const urls = (s: string) => (JSON.parse(s) as Array<{ url: string }>).map((a) => a.url);
  assert.deepEqual(urls(fromSource.stdout), urls(built.stdout));
  const version = await execa(node24, [join(dir, 'src/main.ts'), 'version'], { cwd: dir });
  assert.match(version.stdout, /built\s+from source/);
});

test('version loads only what it needs: no http, crypto, worker_threads, child_process, fs/promises or os (issue 15)', async () => {
  // Node's list of the builtins this process loaded, written at exit by a preload (NODE_OPTIONS works in a SEA).
  const preload = join(dir, 'module-list.cjs');
  const list = join(dir, 'module-list.json');
  await writeFile(preload, `process.on('exit', () => require('fs').writeFileSync(${JSON.stringify(list)}, JSON.stringify(process.moduleLoadList)));\n`);
  const { exitCode } = await runExe(['version'], { NODE_OPTIONS: `--require ${preload}` });
  assert.equal(exitCode, 0);
  const loaded = JSON.parse(await readFile(list, 'utf8')) as string[];
  // (net is loaded by any process whose stdout is a pipe: process.stdout is a net.Socket then.)
  const unneeded = ['http', 'crypto', 'worker_threads', 'child_process', 'internal/fs/promises', 'os'].map((name) => `NativeModule ${name}`);
  assert.deepEqual(unneeded.filter((name) => loaded.includes(name)), []);
});
