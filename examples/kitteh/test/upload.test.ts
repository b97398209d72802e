// Every fixture image uploaded over real HTTP to `kitteh serve` run from source, on the embedded
// PGlite database and on PostgreSQL 15: accepted ones get four renditions of the right sizes,
// refused ones a clear 4xx (JSON and HTML), and nothing is left behind — no row, no file.
import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import sharp from 'sharp';
import type { Served } from '../../../test/helpers/http.ts';
import { createTestDatabase, ensurePostgres, type TestDatabase } from '../../../test/helpers/postgres.ts';
import { openEmbedded } from '../src/db.ts';
import { listStoredFiles } from '../src/store.ts';
import { expectedWidth, fixtureCases, readFixture, type Accepted, type Refused } from './helpers/fixtures.ts';
import { displayedSize, isMetadataFree } from './helpers/pixels.ts';
import { get, makeDirs, runKitteh, startKitteh, stopKitteh, upload, type Dirs } from './helpers/kitteh.ts';

const postgres = await ensurePostgres();

type Query = (sql: string) => Promise<any[]>;

for (const backend of ['pglite', 'postgres'] as const) {
  const skip = backend === 'postgres' && !postgres.ok ? postgres.reason : false;
  describe(`every fixture uploaded over HTTP, ${backend}`, { skip }, () => {
    let dirs: Dirs;
    let served: Served;
    let database: TestDatabase | undefined;
    let accepted = 0;

    before(async () => {
      dirs = await makeDirs();
      const env = { ...dirs.env };
      if (backend === 'postgres') {
        database = await createTestDatabase();
        Object.assign(env, { DATABASE_URL: database.url });
      }
      await runKitteh(['migrate'], env);
      served = await startKitteh(env);
    });

    after(async () => {
      if (served) await stopKitteh(served);
      await database?.drop();
      await dirs?.remove();
    });

    for (const fixture of fixtureCases) {
      if (fixture.status === 303) {
        it(`${fixture.file}: 303 to its page, four renditions of the right size`, async () => {
          await checkAccepted(served.port, dirs.uploadDir, fixture);
          accepted++;
        });
      } else {
        it(`${fixture.file}: ${fixture.status} ${fixture.code} as JSON and as HTML, nothing stored`, async () => {
          const before = await listStoredFiles(dirs.uploadDir);
          await checkRefused(served.port, fixture);
          assert.deepEqual(await listStoredFiles(dirs.uploadDir), before, 'no file left behind');
          if (database) assert.equal((await database.query('SELECT count(*)::int AS n FROM images'))[0].n, accepted, 'no row left behind');
        });
      }
    }

    it('keeps exactly one row per stored picture and one file per row, and nothing in staging', async () => {
      await stopKitteh(served);
      const query: Query = database ? (sql) => database!.query(sql) : await openPglite(dirs.dataDir);
      await checkConsistency(query, dirs.uploadDir, accepted);
      assert.equal(accepted, fixtureCases.filter((c) => c.status === 303).length);
    });
  });
}

async function checkAccepted(port: number, uploadDir: string, fixture: Accepted): Promise<void> {
  const filesBefore = (await listStoredFiles(uploadDir)).length;
  const answer = await upload(port, readFixture(fixture.file), fixture.file);
  assert.equal(answer.status, 303, answer.body);
  const body = answer.json();
  assert.match(answer.location ?? '', /^\/[A-Z][A-Za-z]+$/);
  assert.equal(body.url, answer.location);
  assert.deepEqual([body.width, body.height], [fixture.width, fixture.height]);
  assert.equal(body.originalName, fixture.file);
  for (const name of ['tiny', 'large', 'monstrous', 'original']) {
    const rendition = body.renditions[name];
    const download = await get(port, rendition.url);
    assert.equal(download.status, 200, `${name}: GET ${rendition.url}`);
    assert.equal(download.headers.get('content-type'), fixture.outputType);
    assert.match(download.headers.get('content-disposition') ?? '', /^inline; filename="[^"]+"; filename\*=UTF-8''/);
    const metadata = await sharp(download.bytes).metadata();
    const [shownWidth, shownHeight] = displayedSize(metadata);
    const width = expectedWidth(name, fixture.width);
    assert.equal(shownWidth, width, `${name} width`);
    assert.ok(Math.abs(shownHeight - (width * fixture.height) / fixture.width) <= 1, `${name} height ${shownHeight}`);
    assert.ok(isMetadataFree(metadata), `${name} carries metadata`);
  }
  const page = await get(port, answer.location!, { Accept: 'text/html' });
  assert.equal(page.status, 200);
  const html = page.bytes.toString('utf8');
  assert.ok(html.includes(`<h1 class="cat-name">${body.name}</h1>`));
  assert.equal(html.match(/<img src="\/img\//g)?.length, 4, 'Tiny, Large, Monstrous and the original');
  assert.equal((await listStoredFiles(uploadDir)).length, filesBefore + 4);
}

async function checkRefused(port: number, fixture: Refused): Promise<void> {
  const json = await upload(port, readFixture(fixture.file), fixture.file, 'application/json');
  assert.equal(json.status, fixture.status, json.body);
  assert.match(json.contentType, /^application\/json/);
  assert.equal(json.json().error.code, fixture.code);
  assert.ok(json.json().error.message.length > 10);
  const html = await upload(port, readFixture(fixture.file), fixture.file, 'text/html,application/xhtml+xml,*/*;q=0.8');
  assert.equal(html.status, fixture.status);
  assert.match(html.contentType, /^text\/html/);
  assert.ok(html.body.includes(`data-code="${fixture.code}"`), html.body);
}

async function openPglite(dataDir: string): Promise<Query> {
  const db = await openEmbedded(dataDir);
  return async (sql) => {
    try {
      return (await db.query(sql)).rows as any[];
    } finally {
      await db.close();
    }
  };
}

async function checkConsistency(query: Query, uploadDir: string, expectedImages: number): Promise<void> {
  const rows = await query(`SELECT (SELECT count(*)::int FROM images) AS images,
    (SELECT coalesce(json_agg(path), '[]'::json) FROM image_sizes) AS paths`);
  assert.equal(rows[0].images, expectedImages);
  assert.deepEqual([...rows[0].paths].sort(), await listStoredFiles(uploadDir), 'files on disk are exactly the rows\' files');
  assert.deepEqual(await readdir(join(uploadDir, '.staging')), [], 'staging is empty');
}
