// Benchmark (issue 4): uploads/second for Kitteh against the article's way on the same photos in
// the same run. Kitteh: POST /upload over loopback HTTP (multipart, sharp: one decode, three sizes
// plus the metadata-free original, fsync, database row). The article's way: keep the upload, then
// three ImageMagick runs per picture, `convert INPUT -resize 90x OUTPUT` (and 300x, 600x), the
// program the Phoenix app shelled out to. Both sides process `--concurrency` pictures at a time;
// rounds alternate so machine noise hits both alike. The article's side does no HTTP, no database
// and no fsync, so the ratio is conservative.
//
// Usage: node_modules/.bin/node scripts/bench-resize.ts [--count 48] [--concurrency 2] [--rounds 2]
//          [--url http://127.0.0.1:PORT] [--convert /usr/bin/convert] [--photos DIR] [--json]
// Without --url it starts Kitteh from source (examples/kitteh; `npm ci --prefix examples/kitteh`
// first) on a fresh embedded database, or on DATABASE_URL when that is set. Only loopback URLs.
// --photos DIR uses every .jpg/.jpeg/.png/.webp in DIR instead of the shared fixture photos.
import { execFile, type ChildProcess } from 'node:child_process';
import { copyFile, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { Agent, request } from 'node:http';
import { basename, extname, join, resolve } from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { startServer } from '../test/helpers/http.ts';

const run = promisify(execFile);
const repo = resolve(import.meta.dirname, '..');
const appDir = join(repo, 'examples/kitteh');
const fixtures = resolve(repo, '../shared/fixtures/images');
// Valid photos both sides can read (ImageMagick cannot decode testimgl.jpg, a lossless JPEG).
const photos = [1, 2, 3, 4, 5, 6, 7, 8].map((n) => `Landscape_${n}.jpg`)
  .concat(['320x240.jpg', 'progressive.jpg', 'concert.jpg', 'wrongextension.png', 'Channel_digital_image_CMYK_color_no_profile.jpg', '4.webp']);
const widths = [90, 300, 600];

const { values: flags } = parseArgs({
  options: {
    count: { type: 'string', default: '48' },
    concurrency: { type: 'string', default: '2' },
    rounds: { type: 'string', default: '2' },
    url: { type: 'string' },
    convert: { type: 'string', default: '/usr/bin/convert' },
    photos: { type: 'string' },
    json: { type: 'boolean', default: false },
  },
});
const count = boundedInteger(flags.count!, 'count', 1, 5000);
const concurrency = boundedInteger(flags.concurrency!, 'concurrency', 1, 64);
const rounds = boundedInteger(flags.rounds!, 'rounds', 1, 20);

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

function uploadToKitteh(baseUrl: string, upload: { body: Buffer; contentType: string }, name: string): Promise<void> {
  const url = new URL('/upload', baseUrl);
  return new Promise((resolveUpload, reject) => {
    const req = request(url, { method: 'POST', agent, headers: { 'Content-Type': upload.contentType, 'Content-Length': upload.body.length, Accept: 'application/json' } }, (res) => {
      res.resume();
      res.on('end', () => (res.statusCode === 303 ? resolveUpload() : reject(new Error(`upload of ${name} answered ${res.statusCode}`))));
    });
    req.on('error', reject);
    req.end(upload.body);
  });
}

// The article's way: the upload kept as a file, then one convert per size, one after another.
async function resizeLikeTheArticle(convert: string, work: string, input: string, i: number): Promise<void> {
  const kept = join(work, `${i}-original${extname(input)}`);
  await copyFile(input, kept);
  for (const width of widths) await run(convert, [kept, '-resize', `${width}x`, join(work, `${i}-${width}${extname(input)}`)]);
}

async function startKitteh(): Promise<{ baseUrl: string; stop(): Promise<void> }> {
  if (flags.url) {
    const url = new URL(flags.url);
    if (!['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname) && !url.hostname.startsWith('127.')) {
      throw new Error(`--url must be a loopback address (this benchmark sends traffic to this machine only), got ${url.hostname}`);
    }
    return { baseUrl: url.origin, stop: async () => {} };
  }
  const node = process.execPath;
  const dir = await mkdtemp(join(tmpdir(), 'kitteh-bench-'));
  const env = { DATA_DIR: join(dir, 'data'), UPLOAD_DIR: join(dir, 'uploads') };
  await run(node, ['src/main.ts', 'migrate'], { cwd: appDir, env: { ...process.env, ...env } });
  const served = await startServer(node, [join(appDir, 'src/main.ts'), 'serve'], env, 60_000);
  return {
    baseUrl: `http://127.0.0.1:${served.port}`,
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

const photoDir = flags.photos ? resolve(flags.photos) : fixtures;
const photoFiles = flags.photos ? (await readdir(photoDir)).filter((f) => /\.(jpe?g|png|webp)$/i.test(f)).sort() : photos;
if (photoFiles.length === 0) throw new Error(`no .jpg/.jpeg/.png/.webp files in ${photoDir}`);
const inputs = await Promise.all(photoFiles.map(async (file) => ({ file, path: join(photoDir, file), upload: multipartBody(await readFile(join(photoDir, file)), file) })));
const convertVersion = (await run(flags.convert!, ['-version'])).stdout.split('\n')[0]!;
const work = await mkdtemp(join(tmpdir(), 'bench-convert-'));
const kitteh = await startKitteh();
const pick = (i: number) => inputs[i % inputs.length]!;
const totals = { kittehSeconds: 0, articleSeconds: 0 };
try {
  // Warm-up: one pass over the photo set on each side (JIT, sharp/libvips start-up, page cache).
  await timed(inputs.length, concurrency, (i) => uploadToKitteh(kitteh.baseUrl, pick(i).upload, pick(i).file));
  await timed(inputs.length, concurrency, (i) => resizeLikeTheArticle(flags.convert!, work, pick(i).path, i));
  for (let round = 0; round < rounds; round++) {
    totals.kittehSeconds += await timed(count, concurrency, (i) => uploadToKitteh(kitteh.baseUrl, pick(i).upload, pick(i).file));
    totals.articleSeconds += await timed(count, concurrency, (i) => resizeLikeTheArticle(flags.convert!, work, pick(i).path, i));
  }
} finally {
  await kitteh.stop();
  await rm(work, { recursive: true, force: true });
}

const pictures = count * rounds;
const kittehRate = pictures / totals.kittehSeconds;
const articleRate = pictures / totals.articleSeconds;
const result = {
  pictures, concurrency, photos: inputs.map((x) => basename(x.file)), node: process.version, convert: convertVersion,
  kittehUploadsPerSecond: Number(kittehRate.toFixed(2)), articleUploadsPerSecond: Number(articleRate.toFixed(2)), ratio: Number((kittehRate / articleRate).toFixed(2)),
};
if (flags.json) {
  process.stdout.write(`${JSON.stringify(result)}\n`);
} else {
  process.stdout.write([
    `${pictures} pictures (${inputs.length} photos repeated), ${concurrency} at a time, ${rounds} alternating rounds`,
    `kitteh (HTTP upload, sharp, fsync, row)   ${result.kittehUploadsPerSecond.toFixed(2)} uploads/s`,
    `article (3 × convert -resize, no HTTP/db)  ${result.articleUploadsPerSecond.toFixed(2)} uploads/s   [${convertVersion}]`,
    `ratio                                      ${result.ratio.toFixed(2)}×  (target ≥ 8×)`,
    '',
  ].join('\n'));
}
