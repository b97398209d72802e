// Issue 5 against the built executable: `./app migrate` on real PostgreSQL 15.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFile, writeFile, appendFile } from 'node:fs/promises';
import { join } from 'node:path';
import { build } from '../src/index.ts';
import { copyFixture, removeFixture, repoRoot } from './helpers/fixture.ts';
import { createTestDatabase, ensurePostgres } from './helpers/postgres.ts';
import { runConcurrently, runProcess } from './helpers/migrate-process.ts';

let dir: string;
let exe: string;
const env = { SOURCE_DATE_EPOCH: '1700000000' };

before(async () => {
  const availability = await ensurePostgres();
  if (!availability.ok) throw new Error(availability.reason);
  dir = await copyFixture('migrating');
  exe = (await build({ cwd: dir, image: false, env })).platforms[0]!.executable.path;
});
after(() => removeFixture(dir));

test('8 executables started at once: every migration applied exactly once, all exit 0', async () => {
  const db = await createTestDatabase();
  try {
    const pending = await runProcess([exe, 'migrate'], ['status'], { DATABASE_URL: db.url });
    assert.equal(pending.exitCode, 0, pending.stderr);
    assert.equal(pending.stdout.match(/pending/g)?.length, 4, pending.stdout);

    const results = await runConcurrently(8, [exe, 'migrate'], [], { DATABASE_URL: db.url });
    for (const r of results) assert.equal(r.exitCode, 0, r.stderr);
    const applied = results.flatMap((r) => r.stdout.split('\n').filter((l) => /^applied /.test(l)));
    assert.equal(applied.length, 4, `each migration applied once in total:\n${applied.join('\n')}`);
    const rows = await db.query('SELECT version FROM seabuild_migrations ORDER BY version');
    assert.deepEqual(rows.map((r) => r.version), ['0001', '0002', '0003', '0004']);
    assert.equal((await db.query('SELECT count(*)::int AS n FROM users'))[0].n, 1, '0002 inserted its row once');
    const status = await runProcess([exe, 'migrate'], ['status'], { DATABASE_URL: db.url });
    assert.equal(status.stdout.match(/applied/g)?.length, 4, status.stdout);
  } finally {
    await db.drop();
  }
});

test('a failing migration: earlier ones stay, it leaves no trace, exit 1 naming file and line', async () => {
  const broken = await copyFixture('migrating');
  const db = await createTestDatabase();
  try {
    await copyFile(join(repoRoot, 'test/fixtures/migrations/runtime-broken/0003_create_tags_broken.sql'), join(broken, 'migrations/0005_create_tags_broken.sql'));
    const brokenExe = (await build({ cwd: broken, image: false, env })).platforms[0]!.executable.path;
    const run = await runProcess([brokenExe, 'migrate'], [], { DATABASE_URL: db.url });
    assert.equal(run.exitCode, 1);
    assert.match(run.stderr, /0005_create_tags_broken\.sql:7: column "nope" does not exist/);
    assert.doesNotMatch(run.stderr, /\n\s+at /, 'no stack trace');
    const rows = await db.query('SELECT version FROM seabuild_migrations ORDER BY version');
    assert.deepEqual(rows.map((r) => r.version), ['0001', '0002', '0003', '0004']);
    assert.equal((await db.query("SELECT to_regclass('tags') AS t"))[0].t, null, 'the failed migration\'s table is gone');
  } finally {
    await db.drop();
    await removeFixture(broken);
  }
});

test('an applied migration edited since: refused before anything runs; status shows changed; --dry-run changes nothing', async () => {
  const edited = await copyFixture('migrating');
  const db = await createTestDatabase();
  try {
    assert.equal((await runProcess([exe, 'migrate'], ['--to', '0002'], { DATABASE_URL: db.url })).exitCode, 0);
    await appendFile(join(edited, 'migrations/0001_create_users.sql'), '-- edited after release\n');
    const editedExe = (await build({ cwd: edited, image: false, env })).platforms[0]!.executable.path;
    const dry = await runProcess([editedExe, 'migrate'], ['--dry-run'], { DATABASE_URL: db.url });
    assert.equal(dry.exitCode, 1);
    const refused = await runProcess([editedExe, 'migrate'], [], { DATABASE_URL: db.url });
    assert.equal(refused.exitCode, 1);
    assert.match(refused.stderr, /0001_create_users\.sql/);
    const status = await runProcess([editedExe, 'migrate'], ['status'], { DATABASE_URL: db.url });
    assert.match(status.stdout, /0001.*changed/);
    assert.equal(status.exitCode, 1);
    const rows = await db.query('SELECT version FROM seabuild_migrations ORDER BY version');
    assert.deepEqual(rows.map((r) => r.version), ['0001', '0002'], 'nothing ran');
    const okDry = await runProcess([exe, 'migrate'], ['--dry-run'], { DATABASE_URL: db.url });
    assert.equal(okDry.exitCode, 0);
    assert.deepEqual((await db.query('SELECT count(*)::int AS n FROM seabuild_migrations'))[0].n, 2, '--dry-run applied nothing');
  } finally {
    await db.drop();
    await removeFixture(edited);
  }
});

test('connection failures: one clear line, non-zero exit', async () => {
  const wrongPassword = await runProcess([exe, 'migrate'], [], { DATABASE_URL: 'postgres://app:wrong@127.0.0.1:5432/postgres?sslmode=disable' });
  assert.equal(wrongPassword.exitCode, 1);
  assert.equal(wrongPassword.stderr.trim().split('\n').length, 1, wrongPassword.stderr);
  assert.doesNotMatch(wrongPassword.stderr, /wrong/, 'never prints the password');
  const down = await runProcess([exe, 'migrate'], [], { DATABASE_URL: 'postgres://app:app@127.0.0.1:1/postgres', DATABASE_CONNECT_TIMEOUT: '1' });
  assert.equal(down.exitCode, 1);
  assert.match(down.stderr, /127\.0\.0\.1:1/);
});

test('without migrations configured, migrate says so (exit 2)', async () => {
  const hello = await copyFixture('hello');
  try {
    const helloExe = (await build({ cwd: hello, image: false, env })).platforms[0]!.executable.path;
    const run = await runProcess([helloExe, 'migrate'], [], {});
    assert.equal(run.exitCode, 2);
    assert.match(run.stderr, /no migrations/);
  } finally {
    await removeFixture(hello);
  }
});

test('serve never migrates; serve --migrate applies migrations first', async () => {
  const { startServer } = await import('./helpers/http.ts');
  const db = await createTestDatabase();
  try {
    const plain = await startServer(exe, ['serve'], { DATABASE_URL: db.url });
    plain.child.kill('SIGTERM');
    await plain.exited;
    assert.equal((await db.query("SELECT to_regclass('seabuild_migrations') AS t"))[0].t, null, 'plain serve touched nothing');
    const migrating = await startServer(exe, ['serve', '--migrate'], { DATABASE_URL: db.url });
    migrating.child.kill('SIGTERM');
    await migrating.exited;
    assert.equal((await db.query('SELECT count(*)::int AS n FROM seabuild_migrations'))[0].n, 4);
  } finally {
    await db.drop();
  }
});
