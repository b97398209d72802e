// Benchmark (issue 15): seabuild beside the tools people pick instead, on the same apps, in one run.
// Usage: node_modules/.bin/node scripts/bench-peers.ts [--runs 15] [--apps hello,express,nest,kitteh]
//
// Peers, installed at bench time under ~/.cache/seabuild/bench-peers/tools (never dependencies of
// seabuild): `bun build --compile` (npm bun@1.4.4 ships its binary) and pkg's SEA mode
// (@yao-pkg/pkg@6.23.0). pkg downloads its base node unless it finds one in its cache; this script
// fills that cache with the node seabuild builds with: HOME=<cache>/pkg-home and
//   <cache>/pkg-home/.pkg-cache/sea/node-v24.21.0-linux-x64/bin/node        (the local node binary)
//   …/bin/node.ok, …/node-v24.21.0-linux-x64.tar.gz, ….tar.gz.ok           (empty marker files)
// then `pkg --sea -t node24.21.0-linux-x64` (a full version, or it asks nodejs.org). A config file
// (`-c package.json`) switches pkg to its virtual file system, which is what carries node_modules.
//
// Per app and tool: warm build time (the second of two builds), executable size raw and gzip -6,
// spawn → first 200 on / (median of --runs, tools alternating round by round so machine noise hits
// them alike, NODE_EXTRA_CA_CERTS unset), peak RSS (VmHWM) after 100 requests (median over the same
// starts), and whether the answers to the app's probe requests (status, content-type, body) are
// plain node's. Ratios are against seabuild's row of the same app.
import { execFile, spawn } from 'node:child_process';
import { createReadStream, existsSync } from 'node:fs';
import { copyFile, cp, mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { request } from 'node:http';
import { pipeline } from 'node:stream/promises';
import { Writable } from 'node:stream';
import { promisify } from 'node:util';
import { parseArgs } from 'node:util';
import zlib from 'node:zlib';
import { freePort } from '../test/helpers/http.ts';

const exec = promisify(execFile);
const { values } = parseArgs({ options: { runs: { type: 'string', default: '15' }, apps: { type: 'string', default: 'hello,express,nest,kitteh' } } });
const runs = Number(values.runs);
const repo = resolve(import.meta.dirname, '..');
const node = join(repo, 'node_modules/node/bin/node');
const nodeVersion = (await exec(node, ['--version'])).stdout.trim();
const cache = join(homedir(), '.cache/seabuild/bench-peers');
const env: NodeJS.ProcessEnv = { ...process.env, SOURCE_DATE_EPOCH: '1700000000', PATH: `${join(repo, 'node_modules/node/bin')}:${process.env.PATH}` };
delete env.NODE_EXTRA_CA_CERTS;
// npm keeps the machine's CA settings (a proxy's certificate): only the measured processes go without.
const npmEnv: NodeJS.ProcessEnv = { ...env, ...(process.env.NODE_EXTRA_CA_CERTS ? { NODE_EXTRA_CA_CERTS: process.env.NODE_EXTRA_CA_CERTS } : {}) };
delete env.NODE_OPTIONS;

interface Probe { method: string; path: string; body?: string }
interface App { name: string; dir: string; entry: string; nodeArgs: string[]; exeArgs: string[]; env: Record<string, string>; probes: Probe[]; bunArgs?: string[] }
interface Built { tool: string; exe?: string; buildSeconds?: number; failure?: string; rawBytes?: number; gzipBytes?: number }

// ---- tools -------------------------------------------------------------------------------------
const tools = join(cache, 'tools');
const bun = join(tools, 'node_modules/bun/bin/bun.exe');
const pkg = join(tools, 'node_modules/@yao-pkg/pkg/lib-es5/bin.js');
if (!existsSync(bun) || !existsSync(pkg)) {
  await mkdir(tools, { recursive: true });
  await writeFile(join(tools, 'package.json'), '{ "private": true }\n');
  await exec('npm', ['install', '--no-save', '--no-audit', '--no-fund', 'bun@1.4.4', '@yao-pkg/pkg@6.23.0'], { cwd: tools, env: npmEnv });
}
const pkgHome = join(cache, 'pkg-home');
const pkgBase = join(pkgHome, `.pkg-cache/sea/node-${nodeVersion}-linux-x64`);
if (!existsSync(join(pkgBase, 'bin/node'))) {
  await mkdir(join(pkgBase, 'bin'), { recursive: true });
  await copyFile(node, join(pkgBase, 'bin/node'));
  for (const marker of ['bin/node.ok', `../node-${nodeVersion}-linux-x64.tar.gz`, `../node-${nodeVersion}-linux-x64.tar.gz.ok`]) await writeFile(join(pkgBase, marker), '');
}

// ---- apps --------------------------------------------------------------------------------------
const nestLazyImports = ['@nestjs/microservices', '@nestjs/microservices/microservices-module', '@nestjs/websockets/socket-module', 'cache-manager', 'class-validator', 'class-transformer', 'class-transformer/storage'];

async function prepareApp(name: string): Promise<App> {
  if (name === 'kitteh') {
    const dir = join(repo, 'examples/kitteh');
    const data = join(cache, 'kitteh-data');
    const appEnv = { DATA_DIR: data, UPLOAD_DIR: join(data, 'uploads') };
    // Kitteh never migrates on serve (the article's lesson): the embedded database gets its tables first.
    await exec(node, ['src/main.ts', 'migrate'], { cwd: dir, env: { ...env, ...appEnv } });
    return { name, dir, entry: 'src/main.ts', nodeArgs: ['src/main.ts', 'serve'], exeArgs: ['serve'], env: appEnv, probes: [{ method: 'GET', path: '/' }, { method: 'GET', path: '/healthz' }, { method: 'GET', path: '/no-such-page' }] };
  }
  const dir = join(cache, 'apps', name);
  await rm(dir, { recursive: true, force: true });
  await cp(join(repo, 'scripts/bench-peers-apps', name), dir, { recursive: true });
  if (existsSync(join(dir, 'package-lock.json'))) await exec('npm', ['ci', '--no-audit', '--no-fund'], { cwd: dir, env: npmEnv });
  // nest: `npm run build` is tsc to dist/, as `nest build` does; every tool and plain node take dist/main.js.
  const manifest = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8')) as { main: string; scripts?: Record<string, string> };
  if (manifest.scripts?.build) await exec('npm', ['run', 'build'], { cwd: dir, env: npmEnv });
  const probes: Probe[] = name === 'express' || name === 'nest'
    ? [{ method: 'GET', path: '/' }, { method: 'GET', path: '/users/42' }, { method: 'POST', path: '/echo', body: '{"a":[1,2,"three"]}' }, { method: 'GET', path: '/nope' }]
    : [{ method: 'GET', path: '/' }, { method: 'GET', path: '/anything' }];
  // Bun's bundler stops at NestJS's optional requires; its users mark them external, as nest-cli's
  // webpack config does (its lazyImports list): none of them is installed or loaded by this app.
  const bunArgs = name === 'nest' ? nestLazyImports.flatMap((request) => ['--external', request]) : [];
  return { name, dir, entry: manifest.main, nodeArgs: [manifest.main], exeArgs: [], env: {}, probes, bunArgs };
}

/** seabuild with V8's code cache in the blob (an option: the blob is then tied to the build machine's CPU architecture). */
const codeCacheSide = 'seabuild --code-cache';

async function buildWith(tool: string, app: App): Promise<Built> {
  const out = join(cache, 'out', app.name, tool.replaceAll(' ', ''));
  await mkdir(out, { recursive: true });
  const exe = join(out, app.name);
  const command: [string, string[], NodeJS.ProcessEnv] = tool.startsWith('seabuild')
    ? [node, [join(repo, 'bin/seabuild.js'), 'build', '--no-image', '--out-dir', out, '--name', app.name, '--quiet', ...(tool === codeCacheSide ? ['--code-cache'] : [])], env]
    : tool === 'bun'
      ? [bun, ['build', '--compile', app.entry, ...(app.bunArgs ?? []), '--outfile', exe], env]
      : [node, [pkg, '--sea', '-c', 'package.json', '-t', `node${nodeVersion.slice(1)}-linux-x64`, app.entry, '-o', exe], { ...env, HOME: pkgHome }];
  let seconds = 0;
  try {
    for (let i = 0; i < 2; i++) {
      await rm(exe, { force: true });
      const started = performance.now();
      await exec(command[0], command[1], { cwd: app.dir, env: command[2], maxBuffer: 64 << 20, timeout: 300_000 });
      seconds = (performance.now() - started) / 1000;
    }
  } catch (error) {
    const stderr = `${(error as { stdout?: string }).stdout ?? ''}\n${(error as { stderr?: string }).stderr ?? ''}`.replace(/\x1b\[[0-9;]*m/g, '').split('\n').map((l) => l.trim()).filter(Boolean);
    return { tool, failure: `build failed: ${stderr.find((l) => /error/i.test(l)) ?? stderr.at(-1) ?? (error as Error).message.split('\n')[0]}` };
  }
  return { tool, exe, buildSeconds: seconds, rawBytes: (await stat(exe)).size, gzipBytes: await gzipSize(exe) };
}

async function gzipSize(path: string): Promise<number> {
  let bytes = 0;
  await pipeline(createReadStream(path), zlib.createGzip({ level: 6 }), new Writable({ write(chunk: Buffer, _e, callback) { bytes += chunk.byteLength; callback(); } }));
  return bytes;
}

// ---- running -----------------------------------------------------------------------------------
interface Answer { status: number; type: string; body: string }

function send(port: number, probe: Probe): Promise<Answer> {
  return new Promise((done, fail) => {
    const req = request({ host: '127.0.0.1', port, path: probe.path, method: probe.method, agent: false, headers: probe.body ? { 'content-type': 'application/json' } : {} }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => done({ status: res.statusCode ?? 0, type: String(res.headers['content-type'] ?? ''), body: Buffer.concat(chunks).toString() }));
    });
    req.on('error', fail);
    req.end(probe.body);
  });
}

/** Starts the side, waits for the first 200 on /, runs `then`, stops it. */
async function withServer<T>(command: string, args: string[], app: App, then: (port: number, pid: number, startMs: number) => Promise<T>): Promise<T> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(command, args, { cwd: app.dir, env: { ...env, ...app.env, PORT: String(port), HOST: '127.0.0.1' }, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => { stderr += c; });
  const exited = new Promise((r) => child.once('exit', r));
  try {
    for (let attempt = 0; attempt < 5000 && child.exitCode === null; attempt++) {
      const answer = await send(port, { method: 'GET', path: '/' }).catch(() => undefined);
      if (answer?.status === 200) return await then(port, child.pid!, performance.now() - started);
      await new Promise((r) => setTimeout(r, 2));
    }
    throw new Error(`never answered 200 on /: ${stderr.split('\n').find((l) => l.trim()) ?? `exit ${child.exitCode}`}`);
  } finally {
    child.kill('SIGKILL');
    await exited;
  }
}

async function peakRssBytes(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/VmHWM:\s+(\d+) kB/.exec(status)![1]) * 1024;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const mb = (n?: number) => (n === undefined ? '–' : `${(n / 1e6).toFixed(1)} MB`);
const ratio = (a?: number, b?: number) => (a === undefined || b === undefined ? '–' : `${(a / b).toFixed(2)}×`);

// ---- the run -----------------------------------------------------------------------------------
const lines = { push: (...rows: string[]) => process.stdout.write(`${rows.join('\n')}\n`) };
const load = (await readFile('/proc/loadavg', 'utf8')).split(' ').slice(0, 3).join(' ');
lines.push(`Run ${new Date().toISOString().slice(0, 16)}Z, node ${nodeVersion}, bun 1.4.4, pkg 6.23.0 --sea, ${runs} starts per side, load average ${load}.`, '');
lines.push('| app | tool | build (warm) | executable raw | gzip -6 | start → first 200 | peak RSS after 100 req (median) | output = node | build vs seabuild | gzip vs seabuild | start vs seabuild | RSS vs seabuild |');
lines.push('|---|---|--:|--:|--:|--:|--:|---|--:|--:|--:|--:|');
for (const name of values.apps!.split(',')) {
  const app = await prepareApp(name);
  const sides: Array<Built & { start?: number; rss?: number; matches?: string; args: string[] }> = [];
  for (const tool of ['seabuild', codeCacheSide, 'bun', 'pkg']) {
    process.stderr.write(`${name}: building with ${tool}\n`);
    sides.push({ ...(await buildWith(tool, app)), args: tool.startsWith('seabuild') ? app.exeArgs : app.nodeArgs.slice(1) });
  }
  sides.push({ tool: `node ${nodeVersion} (source)`, exe: node, args: app.nodeArgs });
  const expected = await withServer(node, app.nodeArgs, app, (port) => Promise.all(app.probes.map((p) => send(port, p))));
  process.stderr.write(`${name}: ${runs} rounds of starts\n`);
  // Every start also takes the 100 requests and its peak RSS: one process's RSS varies by up to 1.6×
  // between starts (Kitteh: PGlite's WebAssembly heap and V8's compile tiers), so the median is reported.
  const starts = new Map<string, number[]>();
  const peaks = new Map<string, number[]>();
  for (let round = 0; round < runs; round++) {
    const order = round % 2 === 0 ? sides : [...sides].reverse();
    for (const side of order) {
      if (!side.exe || side.failure) continue;
      try {
        const [ms, rss] = await withServer(side.exe, side.args, app, async (port, pid, startMs) => {
          if (side.matches === undefined) {
            const answers = await Promise.all(app.probes.map((p) => send(port, p)));
            const differing = app.probes.filter((_, i) => JSON.stringify(answers[i]) !== JSON.stringify(expected[i])).map((p) => `${p.method} ${p.path}`);
            side.matches = differing.length === 0 ? 'yes' : `no: ${differing.join(', ')}`;
          }
          for (let i = 0; i < 100; i++) await send(port, app.probes[i % app.probes.length]!);
          return [startMs, await peakRssBytes(pid)] as const;
        });
        starts.set(side.tool, [...(starts.get(side.tool) ?? []), ms]);
        peaks.set(side.tool, [...(peaks.get(side.tool) ?? []), rss]);
      } catch (error) {
        side.failure = `run failed: ${(error as Error).message}`;
      }
    }
  }
  for (const side of sides) {
    if (!side.exe || side.failure) continue;
    side.start = median(starts.get(side.tool) ?? []);
    side.rss = median(peaks.get(side.tool) ?? []);
  }
  const base = sides[0]!;
  for (const side of sides) {
    const cells = side.failure
      ? [name, side.tool, side.buildSeconds ? `${side.buildSeconds.toFixed(1)} s` : '–', mb(side.rawBytes), mb(side.gzipBytes), side.failure.replaceAll('|', '/'), '', '', '', '', '', '']
      : [name, side.tool, side.buildSeconds === undefined ? '–' : `${side.buildSeconds.toFixed(1)} s`, mb(side.rawBytes), mb(side.gzipBytes), `${side.start!.toFixed(1)} ms`, mb(side.rss), side.matches ?? '–',
        ratio(side.buildSeconds, base.buildSeconds), ratio(side.gzipBytes, base.gzipBytes), ratio(side.start, base.start), ratio(side.rss, base.rss)];
    lines.push(`| ${cells.join(' | ')} |`);
  }
}
