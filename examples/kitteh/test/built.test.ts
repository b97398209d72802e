// Kitteh built by seabuild (issue 4, "Done when"): the image in a real dockerd against PostgreSQL 15,
// read-only with no tmpfs, every fixture uploaded; and the standalone executable copied alone into an
// empty folder, on its embedded database.
import assert from 'node:assert/strict';
import { chown, copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import sharp from 'sharp';
import { build, type BuildResult } from '../../../src/index.ts';
import { findTool, startDockerd, type Dockerd } from '../../../test/helpers/engines.ts';
import { freePort, startServer } from '../../../test/helpers/http.ts';
import { createTestDatabase, ensurePostgres } from '../../../test/helpers/postgres.ts';
import { expectedWidth, fixtureCases, readFixture } from './helpers/fixtures.ts';
import { displayedSize } from './helpers/pixels.ts';
import { appDir, get, upload } from './helpers/kitteh.ts';

const reference = 'docker.io/kitteh/web:0.1.0';
let work: string;
let result: BuildResult;
let docker: Dockerd;

before(async () => {
  const missing = ['dockerd', 'runc'].filter((tool) => !findTool(tool));
  const postgres = await ensurePostgres();
  if (missing.length > 0 || !postgres.ok) throw new Error(`needs ${missing.join(', ') || 'PostgreSQL'}: run .ci/run (docs/TESTING.md)`);
  work = await mkdtemp(join(tmpdir(), 'kitteh-built-'));
  result = await build({ cwd: appDir, outDir: join(work, 'dist'), env: { SOURCE_DATE_EPOCH: '1700000000' } });
  docker = await startDockerd();
  const loaded = await docker.docker(['load', '-i', result.image!.archive.path]);
  assert.equal(loaded.exitCode, 0, loaded.stderr);
});
after(async () => {
  await docker?.stop();
  if (work) await rm(work, { recursive: true, force: true });
});

async function waitForHealthz(port: number): Promise<void> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const status = await get(port, '/healthz').then((r) => r.status, () => 0);
    if (status === 200) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`kitteh did not answer /healthz on ${port}`);
}

test('image: migrate in a container against PostgreSQL, serve --read-only, every fixture, docker stop promptly', async () => {
  const db = await createTestDatabase();
  const uploads = join(work, 'uploads');
  await mkdir(uploads);
  await chown(uploads, 65532, 65532);
  try {
    const migrated = await docker.docker(['run', '--rm', '--network', 'host', '-e', `DATABASE_URL=${db.url}`, reference, 'migrate']);
    assert.equal(migrated.exitCode, 0, migrated.stderr);
    assert.match(migrated.stdout, /applied 0001_create_images\.sql/);

    const port = await freePort();
    const started = await docker.docker(['run', '-d', '--read-only', '--cap-drop', 'ALL', '--network', 'host',
      '-e', `DATABASE_URL=${db.url}`, '-e', `PORT=${port}`, '-e', 'HOST=127.0.0.1', '-e', 'UPLOAD_DIR=/uploads', '-v', `${uploads}:/uploads`, reference]);
    assert.equal(started.exitCode, 0, started.stderr);
    const container = started.stdout.trim();
    try {
      await waitForHealthz(port);
      let accepted = 0;
      for (const fixture of fixtureCases) {
        const answer = await upload(port, readFixture(fixture.file), fixture.file);
        assert.equal(answer.status, fixture.status, `${fixture.file}: ${answer.body}`);
        if (fixture.status !== 303) {
          assert.equal(answer.json().error.code, fixture.code, fixture.file);
          continue;
        }
        accepted++;
        for (const name of ['tiny', 'large', 'monstrous']) {
          const download = await get(port, answer.json().renditions[name].url);
          assert.equal(download.status, 200);
          const [width] = displayedSize(await sharp(download.bytes).metadata());
          assert.equal(width, expectedWidth(name, fixture.width), `${fixture.file} ${name}`);
        }
      }
      assert.equal((await db.query('SELECT count(*)::int AS n FROM images'))[0].n, accepted, 'one row per accepted picture, none for refused ones');
    } finally {
      const t0 = performance.now();
      const stopped = await docker.docker(['stop', '--time', '10', container]);
      const stopMs = performance.now() - t0;
      const logs = await docker.docker(['logs', container]);
      await docker.docker(['rm', container]);
      assert.equal(stopped.exitCode, 0);
      assert.ok(stopMs < 2000, `docker stop took ${Math.round(stopMs)} ms\n${logs.stderr}`);
    }
  } finally {
    await db.drop();
  }
});

test('standalone: dist/kitteh copied alone into an empty folder migrates and serves on embedded PGlite', async () => {
  const alone = await mkdtemp(join(tmpdir(), 'kitteh-alone-'));
  try {
    const exe = join(alone, 'kitteh');
    await copyFile(result.executable.path, exe);
    const { execa } = await import('execa');
    const env = { PATH: '/usr/bin:/bin', HOME: alone, DATA_DIR: join(alone, 'data'), XDG_CACHE_HOME: join(alone, 'cache') };
    const migrated = await execa(exe, ['migrate'], { cwd: alone, env, extendEnv: false, reject: false });
    assert.equal(migrated.exitCode, 0, migrated.stderr);
    const served = await startServer(exe, ['serve'], env);
    try {
      const answer = await upload(served.port, readFixture('Landscape_6.jpg'), 'Landscape_6.jpg');
      assert.equal(answer.status, 303, answer.body);
      const tiny = await get(served.port, answer.json().renditions.tiny.url);
      const [width, height] = displayedSize(await sharp(tiny.bytes).metadata());
      assert.deepEqual([width, height], [90, 68], 'upright: EXIF orientation 6 applied');
    } finally {
      served.child.kill('SIGTERM');
      assert.equal((await served.exited).code, 0);
    }
  } finally {
    await rm(alone, { recursive: true, force: true });
  }
});
