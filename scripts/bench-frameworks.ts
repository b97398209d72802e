// Benchmark (issue 22): Next.js and Nuxt of the framework corpus (test/corpus-frameworks), deployed
// the way their docs deploy them against seabuild, in one run. Per app:
// - sizes: the seabuild executable and its FROM-scratch image against the image of the framework's
//   own recommended Dockerfile (its runner stage), rebuilt here with the same node 24 on a Debian
//   bookworm minbase rootfs (scripts/slim-image.ts: no Docker Hub here, so no node:*-alpine);
// - start to first 200 on `/`: `node ENTRY` in the built app, the executable in an empty folder, and
//   both images under a private dockerd (`docker create`, then `docker start` timed to the first 200);
// - static-file throughput: the app's hashed script that `/` names, loaded with autocannon against
//   `node ENTRY` and the executable, with the server's CPU time per request from /proc.
// Sides alternate order run by run; NODE_EXTRA_CA_CERTS is not passed (it adds ~55 ms to every Node start here).
// Usage (as root: debootstrap and root-owned layers): node_modules/.bin/node scripts/bench-frameworks.ts
//   [--apps nextjs,nuxt] [--runs 7] [--rounds 3] [--seconds 5] [--connections 10]
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { build } from '../src/index.ts';
import type { RuntimeConfig } from '../src/image/image.ts';
import { formatBytes } from '../src/report/format.ts';
import { frameworkEnv, frameworks, type FrameworkEntry } from '../test/corpus-frameworks/entries.ts';
import { dockerLoad, runEnv } from '../test/helpers/corpus-run.ts';
import { startDockerd, type Dockerd } from '../test/helpers/engines.ts';
import { node24 } from '../test/helpers/fixture.ts';
import { buildFramework } from '../test/helpers/frameworks.ts';
import { freePort, httpRequest } from '../test/helpers/http.ts';
import { median, timeToFirst200 } from './first-200.ts';
import { buildNodeImage, ensureMinbaseRootfs, walkEntries, type LayerSize } from './slim-image.ts';

const { values } = parseArgs({
  options: {
    apps: { type: 'string', default: 'nextjs,nuxt' }, runs: { type: 'string', default: '7' }, rounds: { type: 'string', default: '3' },
    seconds: { type: 'string', default: '5' }, connections: { type: 'string', default: '10' },
  },
});
const sourceDateEpoch = 1_700_000_000;
const env = runEnv(frameworkEnv);
const docker = existsSync('/usr/bin/docker') ? '/usr/bin/docker' : 'docker';
/** Milliseconds of each counted `docker create`, by image reference (benchStart fills it after the warm-up). */
const createTimes = new Map<string, number[]>();

/** The runner stage of the framework's recommended Dockerfile: what it copies, and how it starts. */
interface Recommended { source: string; folder: string; into: string; config: RuntimeConfig }
const nodeImageEnv = { PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', NODE_ENV: 'production' };
const recommended: Record<string, Recommended> = {
  // The app's build already copies public/ and .next/static/ into the standalone folder, as the three COPY lines do.
  nextjs: {
    source: 'Next.js examples/with-docker: `FROM node:*-alpine`, `COPY public`, `.next/standalone`, `.next/static` to /app, `USER nextjs` (1001), `CMD ["node", "server.js"]`',
    folder: '.next/standalone', into: '/app',
    config: { cmd: ['node', 'server.js'], workingDir: '/app', user: '1001:1001', env: { ...nodeImageEnv, PORT: '3000', HOSTNAME: '0.0.0.0' } },
  },
  nuxt: {
    source: 'nuxt.com/deploy/docker: `FROM node:24-alpine`, `COPY .output` to /app/.output, `USER node` (1000), `CMD ["node", ".output/server/index.mjs"]`',
    folder: '.output', into: '/app/.output',
    config: { cmd: ['node', '.output/server/index.mjs'], workingDir: '/app', user: '1000:1000', env: nodeImageEnv },
  },
};

/** One app, built every way it is measured. */
interface Prepared {
  entry: FrameworkEntry;
  appDir: string;
  executable: { path: string; sizeBytes: number };
  seabuildImage: { reference: string; compressedBytes: number; uncompressedBytes: number; layers: LayerSize[] };
  frameworkImage: { reference: string; layers: LayerSize[] };
}

if (process.getuid?.() !== 0) throw new Error('run as root: debootstrap and the image layers need root-owned files');
const began = performance.now();
const work = mkdtempSync(join(tmpdir(), 'seabuild-bench-frameworks-'));
const rootfs = await ensureMinbaseRootfs(join(process.env.SEABUILD_CACHE_DIR ?? join(homedir(), '.cache/seabuild'), 'compare-sizes'), (line) => console.error(line));
const dockerd = await startDockerd();
try {
  console.log(`node ${process.versions.node} (${node24}), ${values.runs} start runs, ${values.rounds} rounds of ${values.seconds} s × ${values.connections} connections; load average at start ${loadAverage()}`);
  for (const name of values.apps!.split(',')) {
    const entry = frameworks.find((candidate) => candidate.dir === name);
    if (!entry || !recommended[name]) throw new Error(`no app ${name}: one of ${Object.keys(recommended).join(', ')}`);
    const prepared = await prepare(entry, recommended[name]);
    printSizes(prepared, recommended[name]);
    await benchStart(prepared);
    await benchStatic(prepared);
  }
  console.log(`\nwhole run: ${((performance.now() - began) / 60_000).toFixed(1)} min; load average at end ${loadAverage()}`);
} finally {
  await dockerd.stop();
  rmSync(work, { recursive: true, force: true });
}

function loadAverage(): string {
  return readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
}

/** What a plain run writes into the app folder (Next's image cache): removed so that every run starts alike. */
function removeWrites(entry: FrameworkEntry, appDir: string): void {
  for (const path of entry.writes ?? []) rmSync(join(appDir, path), { recursive: true, force: true });
}

/** The framework's build (shared with the tests), seabuild's executable and image, the framework's image; both images loaded. */
async function prepare(entry: FrameworkEntry, dockerfile: Recommended): Promise<Prepared> {
  const app = await buildFramework(entry.dir);
  removeWrites(entry, app.dir);
  const outDir = join(work, entry.dir);
  const result = await build({ cwd: app.dir, entry: entry.entry, outDir, verify: false, env: { ...process.env, SOURCE_DATE_EPOCH: String(sourceDateEpoch) } });
  const platform = result.platforms[0]!;
  const archive = platform.image?.archive.path;
  if (!archive) throw new Error(`${entry.dir}: seabuild wrote no image`);
  const { totals, layers } = platform.report;
  const frameworkArchive = join(outDir, `${entry.dir}-dockerfile.image.tar`);
  const frameworkLayers = await buildNodeImage({
    rootfsDir: rootfs, nodeBinary: platform.executable.node.path, sourceDateEpoch,
    app: walkEntries(join(app.dir, dockerfile.folder), dockerfile.into), config: dockerfile.config,
    archive: frameworkArchive, reference: `bench-frameworks/${entry.dir}-dockerfile:latest`,
  });
  return {
    entry, appDir: app.dir,
    executable: { path: platform.executable.path, sizeBytes: platform.executable.sizeBytes },
    seabuildImage: {
      reference: await dockerLoad(dockerd.docker, archive), compressedBytes: totals.compressedBytes!, uncompressedBytes: totals.uncompressedBytes,
      layers: layers.map(({ name, compressedBytes, uncompressedBytes }) => ({ name, compressedBytes, uncompressedBytes })),
    },
    frameworkImage: { reference: await dockerLoad(dockerd.docker, frameworkArchive), layers: frameworkLayers },
  };
}

function printSizes(app: Prepared, dockerfile: Recommended): void {
  const sum = (layers: LayerSize[], key: 'compressedBytes' | 'uncompressedBytes'): number => layers.reduce((n, layer) => n + layer[key], 0);
  const { seabuildImage: sea, frameworkImage: framework } = app;
  const ratio = (bytes: number, base: number): string => `${(bytes / base).toFixed(2)}×`;
  const layerList = (layers: LayerSize[]): string => layers.map((l) => `${l.name} ${formatBytes(l.compressedBytes)} / ${formatBytes(l.uncompressedBytes)}`).join('; ');
  console.log(`\n### ${app.entry.dir}: sizes (gzip level 6 layers; the Dockerfile: ${dockerfile.source})\n`);
  console.log('| artifact | compressed | uncompressed | compressed vs seabuild image | uncompressed vs seabuild image |');
  console.log('|---|--:|--:|--:|--:|');
  console.log(`| seabuild executable (one file) | – | ${formatBytes(app.executable.sizeBytes)} | – | ${ratio(app.executable.sizeBytes, sea.uncompressedBytes)} |`);
  console.log(`| seabuild image, FROM scratch (${sea.layers.length} layers) | ${formatBytes(sea.compressedBytes)} | ${formatBytes(sea.uncompressedBytes)} | 1.00× | 1.00× |`);
  const compressed = sum(framework.layers, 'compressedBytes');
  const uncompressed = sum(framework.layers, 'uncompressedBytes');
  console.log(`| the framework's Dockerfile, on bookworm minbase + the same node (${framework.layers.length} layers) | ${formatBytes(compressed)} | ${formatBytes(uncompressed)} | ${ratio(compressed, sea.compressedBytes)} | ${ratio(uncompressed, sea.uncompressedBytes)} |`);
  console.log(`\nLayers (compressed / uncompressed): seabuild ${layerList(sea.layers)}. Dockerfile: ${layerList(framework.layers)}.`);
}

/** One way of starting the app, timed from spawn (or `docker start`) to the first 200 on `/`; `image` for a container's. */
interface StartSide { label: string; time: () => Promise<number>; image?: string }

async function benchStart(app: Prepared): Promise<void> {
  const { entry, appDir } = app;
  const empty = mkdtempSync(join(work, `run-${entry.dir}-`));
  const options = { env, attempts: 10_000, stopSignal: 'SIGTERM' as const };
  const sides: StartSide[] = [
    { label: `node ${entry.entry}`, time: () => { removeWrites(entry, appDir); return timeToFirst200(node24, (port) => [entry.entry, ...entry.args(port, appDir)], { ...options, cwd: appDir }); } },
    { label: 'seabuild executable (empty folder)', time: () => timeToFirst200(app.executable.path, (port) => entry.args(port, empty), { ...options, cwd: empty }) },
    { label: 'seabuild image (docker start)', time: () => containerFirst200(app.seabuildImage.reference), image: app.seabuildImage.reference },
    { label: "the framework's Dockerfile image (docker start)", time: () => containerFirst200(app.frameworkImage.reference), image: app.frameworkImage.reference },
  ];
  // One uncounted start of each: the executable's first start writes its native addons to the cache folder.
  for (const side of sides) await side.time();
  const times = new Map<string, number[]>(sides.map((side) => [side.label, []]));
  for (const side of sides) if (side.image) createTimes.set(side.image, []);
  for (let run = 0; run < Number(values.runs); run++) {
    for (const side of run % 2 === 0 ? sides : [...sides].reverse()) times.get(side.label)!.push(await side.time());
  }
  const base = median(times.get(sides[0]!.label)!);
  console.log(`\n### ${entry.dir}: start to first 200 on / (${values.runs} runs each, alternating; load average now ${loadAverage()})\n`);
  console.log(`| side | median | range | vs node | before it: docker create (median, not counted) |\n|---|--:|--:|--:|--:|`);
  const range = (runs: number[]): string => `${Math.min(...runs).toFixed(0)}–${Math.max(...runs).toFixed(0)} ms`;
  for (const side of sides) {
    const runs = times.get(side.label)!;
    const creates = side.image ? createTimes.get(side.image) : undefined;
    console.log(`| ${side.label} | ${median(runs).toFixed(0)} ms | ${range(runs)} | ${(median(runs) / base).toFixed(2)}× | ${creates ? `${median(creates).toFixed(0)} ms (${range(creates)})` : '–'} |`);
  }
}

/**
 * A container made beforehand (`docker create`: with the vfs storage driver of this machine's dockerd,
 * that copies the whole image, which overlay2 does not), then `docker start -a` timed to the first 200.
 */
async function containerFirst200(reference: string): Promise<number> {
  const port = await freePort();
  const variables = Object.entries({ ...frameworkEnv, PORT: String(port) }).flatMap(([key, value]) => ['-e', `${key}=${value}`]);
  const createStarted = performance.now();
  const created = await dockerd.docker(['create', '--network', 'host', ...variables, reference]);
  createTimes.get(reference)?.push(performance.now() - createStarted);
  if (created.exitCode !== 0) throw new Error(`docker create ${reference} failed:\n${created.stderr}`);
  const id = created.stdout.trim();
  try {
    return await timeToFirst200(docker, () => ['start', '-a', id], { env: { PATH: env.PATH!, DOCKER_HOST: dockerd.host }, port, attempts: 10_000, stopSignal: 'SIGKILL' });
  } finally {
    await dockerd.docker(['rm', '-f', id]);
  }
}

/** One load of a side: requests per second, bytes per second, the server's CPU time per request. */
interface LoadSample { requestsPerSecond: number; bytesPerSecond: number; cpuMicrosPerRequest: number }

async function benchStatic(app: Prepared): Promise<void> {
  const { entry, appDir } = app;
  const empty = mkdtempSync(join(work, `load-${entry.dir}-`));
  const asset = await findAsset(app);
  const sides = [
    { label: `node ${entry.entry}`, command: node24, args: (port: number) => [entry.entry, ...entry.args(port, appDir)], cwd: appDir },
    { label: 'seabuild executable', command: app.executable.path, args: (port: number) => entry.args(port, empty), cwd: empty },
  ];
  const samples = new Map<string, LoadSample[]>(sides.map((side) => [side.label, []]));
  for (let round = 0; round < Number(values.rounds); round++) {
    for (const side of round % 2 === 0 ? sides : [...sides].reverse()) samples.get(side.label)!.push(await load(side, asset.path));
  }
  const of = (label: string, key: keyof LoadSample): number => median(samples.get(label)!.map((sample) => sample[key]));
  const base = sides[0]!.label;
  console.log(`\n### ${entry.dir}: static file ${asset.path} (${asset.sizeBytes} bytes, no Accept-Encoding), autocannon -c ${values.connections} -d ${values.seconds}, median of ${values.rounds} rounds (load average now ${loadAverage()})\n`);
  console.log('| side | req/s | MB/s | ratio | CPU per request | ratio | every round (req/s) |\n|---|--:|--:|--:|--:|--:|---|');
  for (const side of sides) {
    const rps = of(side.label, 'requestsPerSecond');
    const cpu = of(side.label, 'cpuMicrosPerRequest');
    const rounds = samples.get(side.label)!.map((sample) => Math.round(sample.requestsPerSecond)).join(', ');
    console.log(`| ${side.label} | ${Math.round(rps)} | ${(of(side.label, 'bytesPerSecond') / 1e6).toFixed(1)} | ${(rps / of(base, 'requestsPerSecond')).toFixed(2)}× | ${cpu.toFixed(0)} µs | ${(cpu / of(base, 'cpuMicrosPerRequest')).toFixed(2)}× | ${rounds} |`);
  }
}

/** The hashed script `/` names under plain node (the corpus test's `asset` pattern), and its size. */
async function findAsset(app: Prepared): Promise<{ path: string; sizeBytes: number }> {
  return withServer({ command: node24, args: (port) => [app.entry.entry, ...app.entry.args(port, app.appDir)], cwd: app.appDir }, '/', async (port) => {
    const page = (await httpRequest(port, '/')).body.toString('utf8');
    const found = app.entry.asset?.exec(page)?.[0];
    if (!found) throw new Error(`${app.entry.dir}: "/" names no script matching ${app.entry.asset}`);
    const path = found.startsWith('/') ? found : `/${found}`;
    return { path, sizeBytes: (await httpRequest(port, path)).body.length };
  });
}

/** Starts the side, waits for a 200 on `path`, warms it for 1 s, then loads it; every answer must be a 200. */
function load(side: { command: string; args: (port: number) => string[]; cwd: string; label: string }, path: string): Promise<LoadSample> {
  return withServer(side, path, async (port, pid) => {
    const fire = (seconds: number) => autocannon({ url: `http://127.0.0.1:${port}${path}`, connections: Number(values.connections), duration: seconds });
    await fire(1);
    const cpuBefore = cpuMicros(pid);
    const result = await fire(Number(values.seconds));
    const cpu = cpuMicros(pid) - cpuBefore;
    if (result.non2xx > 0 || result.errors > 0) throw new Error(`${side.label}: ${result.non2xx} answers other than 2xx, ${result.errors} errors on ${path}`);
    return { requestsPerSecond: result.requests.total / Number(values.seconds), bytesPerSecond: result.throughput.average, cpuMicrosPerRequest: cpu / result.requests.total };
  });
}

/** Runs `then` with a started server (its port and pid), then kills it. */
async function withServer<T>(side: { command: string; args: (port: number) => string[]; cwd: string }, path: string, then: (port: number, pid: number) => Promise<T>): Promise<T> {
  const port = await freePort();
  const child = spawn(side.command, side.args(port), { cwd: side.cwd, env: { ...env, PORT: String(port) }, stdio: ['ignore', 'ignore', 'inherit'] });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  try {
    for (let attempt = 0; ; attempt++) {
      if (child.exitCode !== null || attempt > 10_000) throw new Error(`${side.command} never answered 200 on ${path}`);
      if (await httpRequest(port, path).then((answer) => answer.status === 200, () => false)) break;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    return await then(port, child.pid!);
  } finally {
    child.kill('SIGKILL');
    await exited;
  }
}

/** utime+stime of every thread of the process, in µs (clock ticks of 10 ms). */
function cpuMicros(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10_000;
}
