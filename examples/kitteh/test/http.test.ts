// Kitteh's HTTP surface beyond the fixture sweep, against `kitteh serve` from source on PGlite:
// assets, limits, malformed requests, downloads, escaping, restarts, configuration.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import sharp from 'sharp';
import { CHROMIUM_PATH, launchChromium } from '../../../test/helpers/chromium.ts';
import { requireTools } from '../../../test/helpers/engines.ts';
import type { Served } from '../../../test/helpers/http.ts';
import { listStoredFiles } from '../src/store.ts';
import { readFixture } from './helpers/fixtures.ts';
import { get, makeDirs, runKitteh, startKitteh, stopKitteh, upload, type Dirs } from './helpers/kitteh.ts';
import { withLocationData } from './helpers/pixels.ts';

const MAX_UPLOAD_BYTES = 300_000;
const run = promisify(execFile);

describe('kitteh over HTTP (PGlite, from source)', () => {
  let dirs: Dirs;
  let served: Served;
  let env: Record<string, string>;

  before(async () => {
    dirs = await makeDirs();
    env = { ...dirs.env, MAX_UPLOAD_BYTES: String(MAX_UPLOAD_BYTES) };
    await runKitteh(['migrate'], env);
    served = await startKitteh(env);
  });
  after(async () => {
    if (served) await stopKitteh(served);
    await dirs?.remove();
  });

  it('serves the form with digested CSS, JS and favicon, and /healthz', async () => {
    const page = (await get(served.port, '/')).bytes.toString('utf8');
    assert.match(page, /<form class="upload" method="post" action="\/upload" enctype="multipart\/form-data" data-max-bytes="300000">/);
    const urls = [...page.matchAll(/(?:href|src)="(\/assets\/[^"]+)"/g)].map((m) => m[1]!);
    assert.equal(urls.length, 3);
    for (const url of urls) {
      assert.match(url, /\.[0-9a-f]{10}\.(css|js|png)$/);
      assert.equal((await get(served.port, url)).status, 200, url);
    }
    const favicon = await get(served.port, '/favicon.ico');
    assert.equal(favicon.status, 301);
    assert.ok(urls.includes(favicon.headers.get('location')!));
    assert.equal((await get(served.port, '/healthz')).status, 200);
  });

  // The 413 comes before the body is read (Content-Length over the limit) and closes the
  // connection: only the runtime's lingering close lets a client that is still sending read it
  // (without it, 0 of 40 such uploads of 2 MB got the 413 from kitteh serve; the rest EPIPE).
  it('answers 413 for a file over MAX_UPLOAD_BYTES, readable by a client still sending: 50 uploads, 8 at a time, keeping nothing', async () => {
    const before = await listStoredFiles(dirs.uploadDir);
    const files = [readFixture('65536-uint32-limit.png'), new Uint8Array(2 * 1024 * 1024)]; // 522 KB, 2 MB
    const codes: string[] = [];
    for (let round = 0; round < 50 / 5; round++) {
      const batch = Array.from({ length: 5 }, (_, i) => upload(served.port, files[(round + i) % 2]!, 'big.png').then(
        (answer) => (answer.status === 413 ? answer.json().error.code : `${answer.status}`),
        (error: Error & { cause?: { code?: string } }) => `error ${error.cause?.code ?? error.message}`,
      ));
      // Three more uploads that are not over the limit keep the server busy meanwhile.
      const load = Array.from({ length: 3 }, () => upload(served.port, readFixture('swiss.png'), 'load.png').then((answer) => answer.status));
      codes.push(...await Promise.all(batch));
      assert.deepEqual(await Promise.all(load), [303, 303, 303]);
    }
    assert.deepEqual(codes.filter((code) => code !== 'too_large'), [], `of ${codes.length} uploads`);
    // Only the 30 accepted uploads left files: four renditions each, nothing of a refused one.
    assert.equal((await listStoredFiles(dirs.uploadDir)).length - before.length, 30 * 4);
  });

  it('curl reads the 413 of an oversize upload (with and without Expect: 100-continue)', async (t) => {
    if (!requireTools(t, ['curl'], 'apt-get install curl')) return;
    const file = join(dirs.uploadDir, '..', 'big.bin');
    await writeFile(file, new Uint8Array(2 * 1024 * 1024));
    for (const expect of [[], ['-H', 'Expect:']]) {
      const { stdout } = await run('curl', ['-sS', '-H', 'Accept: application/json', ...expect, '-F', `image=@${file}`, '-w', '\n%{http_code}', `http://127.0.0.1:${served.port}/upload`]);
      const [body, status] = stdout.split('\n');
      assert.equal(status, '413', stdout);
      assert.equal(JSON.parse(body!).error.code, 'too_large');
    }
  });

  it('Chromium shows the 413 page for an oversize file sent without the page script', async (t) => {
    if (!requireTools(t, [CHROMIUM_PATH.split('/').pop()!], 'apt-get install chromium')) return;
    const file = join(dirs.uploadDir, '..', 'big.png');
    await writeFile(file, new Uint8Array(3 * 1024 * 1024));
    const browser = await launchChromium();
    try {
      const page = await browser.context.newPage();
      await page.goto(`http://127.0.0.1:${served.port}/`);
      await page.setInputFiles('input[type=file]', file);
      // form.submit() skips the page script's size check: a browser without it, or a stale page.
      const [answer] = await Promise.all([page.waitForNavigation(), page.evaluate(() => (document.querySelector('form.upload') as HTMLFormElement).submit())]);
      assert.equal(answer?.status(), 413);
      assert.ok(await page.locator('[data-code="too_large"]').count() > 0, await page.content());
    } finally {
      await browser.close();
    }
  });

  it('answers 413 from the Content-Length alone, without reading the body', async () => {
    const answer = await new Promise<{ status: number; connection: string | undefined }>((resolve, reject) => {
      const req = request({
        host: '127.0.0.1', port: served.port, path: '/upload', method: 'POST',
        headers: { 'Content-Type': 'multipart/form-data; boundary=x', 'Content-Length': String(50 * 1024 * 1024), Accept: 'application/json' },
      }, (res) => {
        res.resume();
        resolve({ status: res.statusCode ?? 0, connection: res.headers.connection });
        req.destroy();
      });
      req.on('error', reject);
      req.flushHeaders();
    });
    assert.deepEqual(answer, { status: 413, connection: 'close' });
  });

  it('answers malformed requests with 4xx and a code', async () => {
    const notMultipart = await fetch(`http://127.0.0.1:${served.port}/upload`, { method: 'POST', body: 'hello', headers: { 'Content-Type': 'application/octet-stream', Accept: 'application/json' } });
    assert.equal(notMultipart.status, 415);
    assert.equal((await notMultipart.json()).error.code, 'not_multipart');
    const form = new FormData();
    form.append('comment', 'no file here');
    const noFile = await fetch(`http://127.0.0.1:${served.port}/upload`, { method: 'POST', body: form, headers: { Accept: 'application/json' } });
    assert.equal(noFile.status, 400);
    assert.equal((await noFile.json()).error.code, 'missing_file');
    const wrongMethod = await get(served.port, '/upload');
    assert.equal(wrongMethod.status, 405);
    assert.equal(wrongMethod.headers.get('allow'), 'POST');
    for (const path of ['/NoSuchKittehAnywhere', '/img/AAAAAAAAAAAAAAAAAAAAAA', '/img/short', '/a/b', '/%2e%2e%2fetc%2fpasswd']) {
      const missing = await get(served.port, path, { Accept: 'application/json' });
      assert.equal(missing.status, 404, path);
      assert.equal(JSON.parse(missing.bytes.toString()).error.code, 'not_found');
    }
    const page = await get(served.port, '/NoSuchKittehAnywhere', { Accept: 'text/html' });
    assert.match(page.bytes.toString(), /data-code="not_found"/);
  });

  it('downloads with a safe Content-Disposition, ETag and HEAD; names are reduced to a base name', async () => {
    const answer = await upload(served.port, readFixture('Landscape_3.jpg'), '../../holidays/Küçük kedi (1).jpg');
    assert.equal(answer.status, 303);
    const body = answer.json();
    assert.equal(body.originalName, 'Küçük kedi (1).jpg');
    const tinyUrl: string = body.renditions.tiny.url;
    const attachment = await get(served.port, `${tinyUrl}?download`);
    assert.equal(attachment.headers.get('content-disposition'),
      'attachment; filename="K___k kedi (1)-tiny.jpg"; filename*=UTF-8\'\'K%C3%BC%C3%A7%C3%BCk%20kedi%20%281%29-tiny.jpg');
    const original = await get(served.port, body.renditions.original.url);
    assert.match(original.headers.get('content-disposition')!, /^inline; filename="K___k kedi \(1\)\.jpg"/);
    const etag = original.headers.get('etag')!;
    assert.equal((await get(served.port, body.renditions.original.url, { 'If-None-Match': etag })).status, 304);
    const head = await fetch(`http://127.0.0.1:${served.port}${tinyUrl}`, { method: 'HEAD' });
    assert.equal(head.status, 200);
    assert.equal(head.headers.get('content-length'), String(attachment.bytes.length));
    assert.equal((await get(served.port, `${tinyUrl.replace('/tiny', '/huge')}`)).status, 404);
  });

  it('escapes the uploaded file name in the page', async () => {
    const answer = await upload(served.port, readFixture('swiss.png'), '<img src=x onerror=alert(1)>.png', 'text/html');
    assert.equal(answer.status, 303);
    const page = (await get(served.port, answer.location!)).bytes.toString('utf8');
    assert.ok(page.includes('&lt;img src=x onerror=alert(1)&gt;.png'));
    assert.ok(!page.includes('<img src=x'));
  });

  it('serves no byte of the uploaded EXIF: GPS position and camera serial are gone from every download', async () => {
    const answer = await upload(served.port, await withLocationData(readFixture('Landscape_1.jpg')), 'IMG_0001.jpg');
    assert.equal(answer.status, 303);
    for (const rendition of Object.values<any>(answer.json().renditions)) {
      const { bytes } = await get(served.port, rendition.url);
      const metadata = await sharp(bytes).metadata();
      assert.ok(metadata.exif === undefined && metadata.xmp === undefined, rendition.url);
      assert.ok(!bytes.includes('SN-123456789') && !bytes.includes('KittehPhone'), rendition.url);
    }
  });

  it('keeps pictures across a restart (SIGTERM exits 0; the embedded database and files persist)', async () => {
    const answer = await upload(served.port, readFixture('Landscape_5.jpg'), 'before-restart.jpg');
    assert.equal(answer.status, 303);
    assert.equal((await stopKitteh(served)).code, 0);
    served = await startKitteh(env);
    const page = await get(served.port, answer.location!, { Accept: 'application/json' });
    assert.equal(page.status, 200);
    const monstrous = await get(served.port, JSON.parse(page.bytes.toString()).renditions.monstrous.url);
    assert.equal((await sharp(monstrous.bytes).metadata()).width, 600);
  });
});

describe('kitteh configuration and commands', () => {
  it('help lists every environment variable with its default', async () => {
    const { stdout } = await runKitteh(['help'], {});
    for (const name of ['PORT', 'DATABASE_URL', 'DATA_DIR', 'UPLOAD_DIR', 'MAX_UPLOAD_BYTES', 'MAX_INPUT_PIXELS']) assert.match(stdout, new RegExp(`^  ${name} `, 'm'));
    assert.match(stdout, /MAX_UPLOAD_BYTES .*\(default: 10485760\)/);
  });

  it('selftest passes', async () => {
    const { stdout } = await runKitteh(['selftest'], {});
    assert.match(stdout, /selftest ok: sharp 0\.35\.5/);
  });

  it('serve refuses an unmigrated database, naming the fix', async () => {
    const dirs = await makeDirs();
    try {
      const error = await startKitteh(dirs.env).then(() => undefined, (e: unknown) => e as Error);
      assert.ok(error, 'serve should not start');
      assert.match(error.message, /run "kitteh migrate" first/);
    } finally {
      await dirs.remove();
    }
  });

  it('serve refuses a malformed MAX_UPLOAD_BYTES, naming the variable', async () => {
    const dirs = await makeDirs();
    try {
      const error = await startKitteh({ ...dirs.env, MAX_UPLOAD_BYTES: '10MB' }).then(() => undefined, (e: unknown) => e as Error);
      assert.match(error?.message ?? '', /MAX_UPLOAD_BYTES must be a positive whole number, got "10MB"/);
    } finally {
      await dirs.remove();
    }
  });
});
