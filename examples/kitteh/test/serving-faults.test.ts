// Faults while serving: PostgreSQL restarting under upload load (a private cluster, so the shared
// one is untouched), and an upload folder that fills up or turns read-only. Uploads during a fault
// get a clear 5xx with a code, never a reset or a 500; no row is left without its files; Kitteh
// recovers without a restart.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import pg from 'pg';
import { requireRoot, requireTools } from '../../../test/helpers/engines.ts';
import type { Served } from '../../../test/helpers/http.ts';
import { readFixture } from './helpers/fixtures.ts';
import { makeDirs, runKitteh, startKitteh, stopKitteh, upload, type Dirs } from './helpers/kitteh.ts';
import { startPrivatePostgres, type PrivatePostgres } from './helpers/private-postgres.ts';

const run = promisify(execFile);
const picture = readFixture('swiss.png');

async function answerOf(port: number): Promise<string> {
  try {
    const answer = await upload(port, picture, 'load.png');
    return answer.status === 303 ? '303' : `${answer.status} ${answer.json().error.code}`;
  } catch (error) {
    return `error ${(error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message}`;
  }
}

/** Every row's renditions exist as files; no staging folder is left. */
async function assertNoRowWithoutFiles(url: string, uploadDir: string, since = 0): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ path: string }>('SELECT path FROM image_sizes WHERE image_id > $1', [since]);
    for (const row of rows) assert.ok(existsSync(join(uploadDir, row.path)), `a row points at ${row.path}, which is not on disk`);
    assert.deepEqual(await readdir(join(uploadDir, '.staging')).catch(() => []), []);
    return (await client.query<{ n: number }>('SELECT coalesce(max(id), 0)::int AS n FROM images')).rows[0]!.n;
  } finally {
    await client.end();
  }
}

describe('kitteh serving through faults (PostgreSQL)', () => {
  let postgres: PrivatePostgres;
  let dirs: Dirs;
  let served: Served;
  let small: string;

  before(async () => {
    postgres = await startPrivatePostgres();
    dirs = await makeDirs();
    small = join(dirs.dataDir, '..', 'small-uploads');
    await runKitteh(['migrate'], { ...dirs.env, DATABASE_URL: postgres.url });
    served = await startKitteh({ ...dirs.env, DATABASE_URL: postgres.url });
  });
  after(async () => {
    if (served) await stopKitteh(served);
    if (small) await run('umount', [small]).catch(() => {});
    await postgres?.remove();
    await dirs?.remove();
  });

  it('PostgreSQL restarting under upload load: 503 database_unavailable meanwhile, nothing half-stored, uploads work again without a restart', async (t) => {
    if (!requireTools(t, ['runuser'], 'util-linux') || !requireRoot(t, 'runs a private cluster as the postgres user')) return;
    const answers: string[] = [];
    let phase = 'before';
    let loading = true;
    const workers = Array.from({ length: 3 }, async () => {
      while (loading) answers.push(`${phase} ${await answerOf(served.port)}`);
    });
    await new Promise((resolve) => setTimeout(resolve, 1000));
    phase = 'stopping';
    await postgres.stop();
    phase = 'down';
    await new Promise((resolve) => setTimeout(resolve, 1500));
    phase = 'starting';
    await postgres.start();
    phase = 'after';
    await new Promise((resolve) => setTimeout(resolve, 1500));
    loading = false;
    await Promise.all(workers);

    const unexpected = answers.filter((a) => !/ (303|503 database_unavailable)$/.test(a));
    assert.deepEqual(unexpected, [], `of ${answers.length} uploads`);
    assert.ok(answers.some((a) => a === 'down 503 database_unavailable'), 'uploads during the outage got the 503');
    assert.ok(answers.some((a) => a === 'after 303'), 'uploads work again after the restart');
    assert.equal(served.child.exitCode, null, 'kitteh kept running');
    const lastId = await assertNoRowWithoutFiles(postgres.url, dirs.uploadDir);
    assert.ok(lastId >= answers.filter((a) => a.endsWith(' 303')).length, 'every 303 has its row');
    t.diagnostic(`${answers.length} uploads: ${answers.filter((a) => a.endsWith('303')).length} stored, ${answers.filter((a) => a.endsWith('database_unavailable')).length} answered 503`);
  });

  it('an upload folder that is full (507 storage_full) or read-only (503 storage_unavailable) keeps no row; uploads work again once it is writable', async (t) => {
    if (!requireRoot(t, 'mounts a small tmpfs as UPLOAD_DIR')) return;
    await stopKitteh(served);
    await mkdir(small, { recursive: true });
    await run('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', small]);
    served = await startKitteh({ ...dirs.env, UPLOAD_DIR: small, DATABASE_URL: postgres.url });
    const lastId = await assertNoRowWithoutFiles(postgres.url, small, Number.MAX_SAFE_INTEGER);
    await writeFile(join(small, 'filler'), Buffer.alloc(1024 * 1024 - 8 * 1024)).catch(() => {}); // fills it to the last pages
    assert.equal(await answerOf(served.port), '507 storage_full');
    await run('rm', [join(small, 'filler')]);
    await run('mount', ['-o', 'remount,ro', small]);
    assert.equal(await answerOf(served.port), '503 storage_unavailable');
    assert.equal(await assertNoRowWithoutFiles(postgres.url, small, lastId), lastId, 'no row was added');
    await run('mount', ['-o', 'remount,rw', small]);
    assert.equal(await answerOf(served.port), '303');
    assert.ok(await assertNoRowWithoutFiles(postgres.url, small, lastId) > lastId);
  });
});
