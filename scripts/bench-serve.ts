// Benchmark (issue 24): what a service does all day, served by seabuild's executable against plain
// node, a raw SEA of the same server (node's own blob + postject, no seabuild runtime) and Bun's
// `bun build --compile`, in one run. The servers are bench/serve (Express 5.1.0, pinned with its
// lockfile): `static` (express.static(public) in front of GET /ping, so every /ping is first a miss
// in public/), `express` (GET /ping alone), `hello` (node:http) and `file` (GET /file.txt through
// express.static). Each round starts every side afresh, in alternating order so that the noise of
// this shared machine hits them alike, warms it up for 1 s and loads it for --seconds with autocannon
// (keep-alive, --connections). Per side: req/s, p50/p99 latency, the server's own CPU time per request
// (utime+stime from /proc, the figure least moved by other work on the machine), peak RSS (VmHWM)
// and RSS at the end of the load. --soak adds the memory measure of the issue: --load-seconds of load
// on `static`, then RSS each second for --recovery-seconds with no load.
// `--servers nextjs` adds the framework page: `/` of test/corpus-frameworks/nextjs (Next.js 16
// standalone output, built once per machine by scripts/build-frameworks.ts or on first use), the
// executable (run from an empty folder, as deployed) against `node .next/standalone/server.js` in the
// app folder; a raw SEA and Bun do not apply there (Next's server loads its chunks by computed paths
// from its own folder: no single-file bundle of it runs).
// --requests N loads each side with exactly N requests instead of --seconds: CPU per request over a
// fixed count is the figure that decides on a loaded machine (req/s is then N over the time it took).
// Usage: node_modules/.bin/node scripts/bench-serve.ts [--rounds 2] [--seconds 3 | --requests N] [--connections 32]
//   [--servers static,express,hello,file,nextjs] [--sides seabuild,node,raw,bun] [--soak [--load-seconds 120 --recovery-seconds 60 --soak-rounds 1]]
//   [--keep DIR] (build into DIR and keep it, e.g. to profile one side by hand)
//   [--also LABEL=DIR ...] (a further side: the executables of an earlier --keep, DIR/app/dist/static …, e.g. built before a change)
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import * as esbuild from 'esbuild';
import { execa } from 'execa';
import { build } from '../src/index.ts';
import { buildSea } from '../src/sea/index.ts';
import { node24 } from '../test/helpers/fixture.ts';
import { freePort, httpRequest } from '../test/helpers/http.ts';
import { buildFramework } from '../test/helpers/frameworks.ts';
import { frameworkEnv, frameworks } from '../test/corpus-frameworks/entries.ts';

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '2' }, seconds: { type: 'string', default: '3' }, requests: { type: 'string' }, connections: { type: 'string', default: '32' },
    servers: { type: 'string', default: 'static,express,hello,file' }, sides: { type: 'string', default: 'seabuild,node,raw,bun' },
    soak: { type: 'boolean', default: false }, 'load-seconds': { type: 'string', default: '120' }, 'recovery-seconds': { type: 'string', default: '60' },
    'soak-rounds': { type: 'string', default: '1' },
    keep: { type: 'string' }, also: { type: 'string', multiple: true, default: [] },
  },
});
const repo = resolve(import.meta.dirname, '..');
const env: NodeJS.ProcessEnv = { ...process.env, SOURCE_DATE_EPOCH: '1700000000' };
delete env.NODE_EXTRA_CA_CERTS;
delete env.NODE_OPTIONS;
const npmEnv: NodeJS.ProcessEnv = { ...env, ...(process.env.NODE_EXTRA_CA_CERTS ? { NODE_EXTRA_CA_CERTS: process.env.NODE_EXTRA_CA_CERTS } : {}) };

/** A server of bench/serve (or, with `framework`, an app of test/corpus-frameworks): its entry, and the path the load asks for. */
interface Server { name: string; entry: string; path: string; framework?: string }
const allServers: Server[] = [
  { name: 'static', entry: 'static.cjs', path: '/ping' },
  { name: 'express', entry: 'express.cjs', path: '/ping' },
  { name: 'hello', entry: 'hello.cjs', path: '/' },
  { name: 'file', entry: 'static.cjs', path: '/file.txt' },
  { name: 'nextjs', entry: frameworks.find((f) => f.dir === 'nextjs')!.entry, path: '/', framework: 'nextjs' },
];
/** One way to run a server; `cwd` when it is not the bench app's folder. */
interface Side { label: string; command: string; args: string[]; env?: Record<string, string>; cwd?: string }
interface Sample { requestsPerSecond: number; p50Ms: number; p99Ms: number; cpuMicrosPerRequest: number; peakRssMb: number; finalRssMb: number }

const work = values.keep ? resolve(values.keep) : await mkdtemp(join(tmpdir(), 'seabuild-bench-serve-'));
try {
  const app = join(work, 'app');
  await rm(app, { recursive: true, force: true });
  await cp(join(repo, 'bench/serve'), app, { recursive: true });
  await execa('npm', ['ci', '--no-audit', '--no-fund'], { cwd: app, env: npmEnv });
  const servers = values.servers!.split(',').map((name) => allServers.find((s) => s.name === name) ?? fail(`no server ${name}`));
  const sideNames = values.sides!.split(',');
  const sidesOf = new Map<string, Side[]>();
  for (const server of servers.filter((s) => s.framework)) sidesOf.set(server.entry, await frameworkSides(work, server.framework!, sideNames));
  for (const entry of new Set(servers.filter((s) => !s.framework).map((s) => s.entry))) sidesOf.set(entry, await buildSides(app, entry, sideNames));

  const load = async (): Promise<string> => (await readFile('/proc/loadavg', 'utf8')).split(' ').slice(0, 3).join(' ');
  const loadSize = values.requests ? `${values.requests} requests` : `${values.seconds} s`;
  console.log(`node ${(await execa(node24, ['--version'])).stdout}, ${values.rounds} rounds of ${loadSize} per side, ${values.connections} connections, load average at start ${await load()}`);
  for (const server of servers) {
    const sides = sidesOf.get(server.entry)!;
    const samples = new Map<string, Sample[]>(sides.map((side) => [side.label, []]));
    for (let round = 0; round < Number(values.rounds); round++) {
      for (const side of round % 2 === 0 ? sides : [...sides].reverse()) {
        samples.get(side.label)!.push(await withServer(app, side, server.path, (port, child) => measure(port, child, server.path, Number(values.seconds))));
      }
    }
    printTable(`${server.name}: GET ${server.path} (load average now ${await load()})`, sides, samples);
    if (server.framework) console.log(`(${sideNames.filter((n) => n === 'raw' || n === 'bun').join(' and ') || 'a raw SEA and Bun'}: do not apply to a framework's output, whose server loads its chunks by computed paths from its own folder)`);
  }
  if (values.soak) await soak(app, sidesOf.get('static.cjs') ?? (await buildSides(app, 'static.cjs', sideNames)));
} finally {
  if (!values.keep) await rm(work, { recursive: true, force: true });
}

/** The four ways to run `entry`, those of `names` that can be built here. */
async function buildSides(app: string, entry: string, names: string[]): Promise<Side[]> {
  const name = entry.replace(/\.cjs$/, '');
  const sides: Side[] = [];
  // The raw SEA and Bun run their bundle from outside the tree: they read public/ from disk, as node does.
  const onDisk = { PUBLIC_DIR: join(app, 'public') };
  const { executable } = (await build({ cwd: app, entry, name, outDir: join(app, 'dist'), image: false, env })).platforms[0]!;
  for (const side of names) {
    if (side === 'seabuild') {
      sides.push({ label: 'seabuild executable', command: executable.path, args: [] });
    } else if (side === 'node') {
      sides.push({ label: 'plain node', command: node24, args: [entry] });
    } else if (side === 'raw') {
      // A SEA's main script can require builtins only: esbuild puts express into it, as any SEA user must.
      const bundle = join(app, `raw-${name}.cjs`);
      await esbuild.build({ entryPoints: [join(app, entry)], bundle: true, platform: 'node', format: 'cjs', outfile: bundle, logLevel: 'error' });
      const raw = await buildSea({ node: executable.node, bundlePath: bundle, assets: {}, output: join(app, `raw-${name}`), workDir: app, check: false });
      sides.push({ label: 'raw SEA (no seabuild runtime)', command: raw.path, args: [], env: onDisk });
    } else if (side === 'bun') {
      const bun = await installBun();
      await execa(bun, ['build', '--compile', entry, '--outfile', join(app, `bun-${name}`)], { cwd: app });
      sides.push({ label: 'bun build --compile', command: join(app, `bun-${name}`), args: [], env: onDisk });
    } else {
      fail(`no side ${side} (seabuild, node, raw, bun)`);
    }
  }
  for (const spec of values.also!) {
    const at = spec.indexOf('=');
    sides.push({ label: spec.slice(0, at), command: join(resolve(spec.slice(at + 1)), 'app/dist', name), args: [] });
  }
  return sides;
}

/**
 * The framework app's sides: the seabuild executable, run from an empty folder as it is deployed,
 * and `node ENTRY` in the app folder (the framework's own deployment), both with the corpus's
 * production environment (test/corpus-frameworks/entries.ts).
 */
async function frameworkSides(work: string, framework: string, names: string[]): Promise<Side[]> {
  const built = await buildFramework(framework);
  const entry = allServers.find((s) => s.framework === framework)!.entry;
  const outDir = join(work, framework, 'dist');
  const runDir = join(work, framework, 'run');
  await mkdir(runDir, { recursive: true });
  const { executable } = (await build({ cwd: built.dir, entry, outDir, image: false, env })).platforms[0]!;
  const sides: Side[] = [];
  if (names.includes('seabuild')) sides.push({ label: 'seabuild executable', command: executable.path, args: [], env: frameworkEnv, cwd: runDir });
  if (names.includes('node')) sides.push({ label: 'plain node', command: node24, args: [entry], env: frameworkEnv, cwd: built.dir });
  for (const spec of values.also!) {
    const at = spec.indexOf('=');
    sides.push({ label: spec.slice(0, at), command: join(resolve(spec.slice(at + 1)), framework, 'dist', built.name), args: [], env: frameworkEnv, cwd: runDir });
  }
  return sides;
}

/** npm's bun@1.4.4 ships its binary and `bun build --compile` works offline (docs/BENCHMARKS.md, "Serving as fast as node"); installed once, outside the project. */
async function installBun(): Promise<string> {
  const tools = join(homedir(), '.cache/seabuild/bench-peers/tools');
  const bun = join(tools, 'node_modules/bun/bin/bun.exe');
  if (existsSync(bun)) return bun;
  await mkdir(tools, { recursive: true });
  if (!existsSync(join(tools, 'package.json'))) await writeFile(join(tools, 'package.json'), '{ "private": true }\n');
  await execa('npm', ['install', '--no-save', '--no-audit', '--no-fund', 'bun@1.4.4'], { cwd: tools, env: npmEnv });
  return bun;
}

/** Starts the side, waits for 200 on `path`, runs `then`, stops it with SIGKILL (its drain is not measured here). */
async function withServer<T>(app: string, side: Side, path: string, then: (port: number, child: ChildProcess) => Promise<T>): Promise<T> {
  const port = await freePort();
  const child = spawn(side.command, side.args, { cwd: side.cwd ?? app, env: { ...env, ...side.env, PORT: String(port) }, stdio: ['ignore', 'ignore', 'inherit'] });
  const exited = new Promise((r) => child.once('exit', r));
  try {
    for (let attempt = 0; ; attempt++) {
      if (child.exitCode !== null || attempt > 5000) throw new Error(`${side.label} (${side.command}) never answered 200 on ${path}`);
      if (await httpRequest(port, path).then((answer) => answer.status === 200, () => false)) break;
      await new Promise((r) => setTimeout(r, 5));
    }
    return await then(port, child);
  } finally {
    child.kill('SIGKILL');
    await exited;
  }
}

async function measure(port: number, child: ChildProcess, path: string, seconds: number): Promise<Sample> {
  await fire(port, path, 1);
  const cpuBefore = await cpuMicros(child.pid!);
  const started = performance.now();
  const result = await fire(port, path, seconds, values.requests ? Number(values.requests) : undefined);
  const elapsedSeconds = values.requests ? (performance.now() - started) / 1000 : seconds;
  const cpuAfter = await cpuMicros(child.pid!);
  const status = await procStatus(child.pid!);
  return {
    requestsPerSecond: result.requests.total / elapsedSeconds, p50Ms: result.latency.p50, p99Ms: result.latency.p99,
    cpuMicrosPerRequest: (cpuAfter - cpuBefore) / result.requests.total, peakRssMb: status.VmHWM / 1024, finalRssMb: status.VmRSS / 1024,
  };
}

/** `seconds` of load, or exactly `requests` requests. */
function fire(port: number, path: string, seconds: number, requests?: number): Promise<autocannon.Result> {
  return autocannon({ url: `http://127.0.0.1:${port}${path}`, connections: Number(values.connections), ...(requests ? { amount: requests } : { duration: seconds }) });
}

/** utime+stime of every thread of the process, in µs (clock ticks of 10 ms). */
async function cpuMicros(pid: number): Promise<number> {
  const fields = (await readFile(`/proc/${pid}/stat`, 'utf8')).split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10_000;
}

async function procStatus(pid: number): Promise<Record<'VmHWM' | 'VmRSS', number>> {
  const text = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string): number => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(text)?.[1] ?? NaN);
  return { VmHWM: kb('VmHWM'), VmRSS: kb('VmRSS') };
}

/**
 * --soak: RSS at the end of a long load and after a rest, --soak-rounds times per side, the sides
 * in the order of --sides, reversed every other round: anonymous memory after a load moves by
 * ±6 MB between runs of one binary (where V8's heap stood at its last GC), so one run per side
 * cannot give a ratio; the medians of several can.
 */
async function soak(app: string, sides: Side[]): Promise<void> {
  const loadSeconds = Number(values['load-seconds']);
  const recoverySeconds = Number(values['recovery-seconds']);
  const rounds = Number(values['soak-rounds']);
  interface SoakSample { requestsPerSecond: number; p99Ms: number; loadedKb: number; peakKb: number; restedKb: number; lowestKb: number }
  const samples = new Map<string, SoakSample[]>(sides.map((side) => [side.label, []]));
  console.log(`\nsoak: static GET /ping, ${loadSeconds} s of load, then ${recoverySeconds} s idle, ${rounds} round(s) per side`);
  console.log('| round | side | req/s | p99 | RSS at end of load | peak RSS | RSS after the rest | lowest RSS in the rest |');
  console.log('|--:|---|--:|--:|--:|--:|--:|--:|');
  for (let round = 0; round < rounds; round++) {
    for (const side of round % 2 === 0 ? sides : [...sides].reverse()) {
      await withServer(app, side, '/ping', async (port, child) => {
        const result = await fire(port, '/ping', loadSeconds);
        const loaded = await procStatus(child.pid!);
        let lowest = loaded.VmRSS;
        for (let second = 0; second < recoverySeconds; second++) {
          await new Promise((r) => setTimeout(r, 1000));
          lowest = Math.min(lowest, (await procStatus(child.pid!)).VmRSS);
        }
        const rested = await procStatus(child.pid!);
        const sample = { requestsPerSecond: result.requests.total / loadSeconds, p99Ms: result.latency.p99, loadedKb: loaded.VmRSS, peakKb: rested.VmHWM, restedKb: rested.VmRSS, lowestKb: lowest };
        samples.get(side.label)!.push(sample);
        console.log(`| ${round + 1} | ${side.label} | ${Math.round(sample.requestsPerSecond)} | ${sample.p99Ms} ms | ${megabytes(sample.loadedKb)} | ${megabytes(sample.peakKb)} | ${megabytes(sample.restedKb)} | ${megabytes(sample.lowestKb)} |`);
      });
    }
  }
  const baseline = sides.find((s) => s.label === 'plain node')?.label ?? sides[0]!.label;
  const of = (label: string, key: keyof SoakSample): number => median(samples.get(label)!.map((s) => s[key]));
  console.log(`\nsoak, median of ${rounds} round(s); ratios against ${baseline}`);
  console.log('| side | RSS at end of load | ratio | RSS after the rest | ratio |');
  console.log('|---|--:|--:|--:|--:|');
  for (const side of sides) {
    const [loaded, rested] = [of(side.label, 'loadedKb'), of(side.label, 'restedKb')];
    console.log(`| ${side.label} | ${megabytes(loaded)} | ${(loaded / of(baseline, 'loadedKb')).toFixed(2)}× | ${megabytes(rested)} | ${(rested / of(baseline, 'restedKb')).toFixed(2)}× |`);
  }
}

function megabytes(kb: number): string {
  return `${(kb / 1024).toFixed(1)} MB`;
}

function median(xs: number[]): number {
  return [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
}

function printTable(title: string, sides: Side[], samples: Map<string, Sample[]>): void {
  const of = (label: string, key: keyof Sample): number => median(samples.get(label)!.map((s) => s[key]));
  const baseline = sides.find((s) => s.label === 'plain node')?.label ?? sides[0]!.label;
  console.log(`\n${title}, median of ${values.rounds} rounds; ratios against ${baseline}`);
  console.log('| side | req/s | ratio | p50 | p99 | CPU per request | ratio | peak RSS | RSS at end |');
  console.log('|---|--:|--:|--:|--:|--:|--:|--:|--:|');
  for (const side of sides) {
    const rps = of(side.label, 'requestsPerSecond');
    const cpu = of(side.label, 'cpuMicrosPerRequest');
    console.log(`| ${side.label} | ${Math.round(rps)} | ${(rps / of(baseline, 'requestsPerSecond')).toFixed(2)}× | ${of(side.label, 'p50Ms')} ms | ${of(side.label, 'p99Ms')} ms | ${cpu.toFixed(1)} µs | ${(cpu / of(baseline, 'cpuMicrosPerRequest')).toFixed(2)}× | ${of(side.label, 'peakRssMb').toFixed(1)} MB | ${of(side.label, 'finalRssMb').toFixed(1)} MB |`);
  }
}

function fail(message: string): never {
  throw new Error(message);
}
