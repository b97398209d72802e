// `migrate` killed with SIGKILL in the middle of a migration, as a real process on PostgreSQL 15:
// the migration's transaction dies with its connection, so nothing of it stays and it is not
// recorded; the rerun applies it exactly once. The middle migration sleeps while a marker table
// exists (3 s), which gives the test a moment in which to kill it.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { createTestDatabase, ensurePostgres } from '../../test/helpers/postgres.ts';
import { migrateScriptArgv, runProcess } from '../../test/helpers/migrate-process.ts';
import type { EmbeddedMigration } from './types.ts';

function migration(version: string, name: string, sql: string): EmbeddedMigration {
  return { version, name, file: `${version}_${name}.sql`, sha256: createHash('sha256').update(sql).digest('hex'), sql, transactional: true, sizeBytes: Buffer.byteLength(sql) };
}

const migrations = [
  migration('0001', 'first', 'CREATE TABLE first_table (id int);'),
  migration('0002', 'slow', "CREATE TABLE slow_table (id int);\nINSERT INTO slow_table VALUES (1);\nSELECT pg_sleep(CASE WHEN to_regclass('public.slow_marker') IS NULL THEN 0 ELSE 3 END);\n"),
  migration('0003', 'third', 'CREATE TABLE third_table (id int);'),
];

const postgres = await ensurePostgres();

test('SIGKILL during a migration: nothing of it stays, the rerun applies it once', { skip: postgres.ok ? false : postgres.reason }, async () => {
  const db = await createTestDatabase();
  const workDir = await mkdtemp(join(tmpdir(), 'seabuild-migrate-killed-'));
  try {
    const argv = await migrateScriptArgv(migrations, join(workDir, 'migrations.json'));
    await db.query('CREATE TABLE slow_marker (id int)');
    const [command, ...rest] = argv;
    const { spawn } = await import('node:child_process');
    const child = spawn(command!, rest, { env: { ...process.env, DATABASE_URL: db.url }, stdio: 'ignore' });
    const exited = new Promise((resolve) => child.on('exit', resolve));
    for (let i = 0; ; i++) {
      const sleeping = await db.query("SELECT 1 FROM pg_stat_activity WHERE query LIKE '%pg_sleep(CASE%' AND state = 'active' AND datname = current_database() AND pid <> pg_backend_pid()");
      if (sleeping.length > 0) break;
      assert.ok(i < 300, 'the slow migration never started');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    child.kill('SIGKILL');
    await exited;
    // The server notices the dead client only when the statement ends and it answers: until then
    // its backend holds the migration lock and the open transaction, which others cannot see.
    const present = async (table: string): Promise<boolean> => (await db.query(`SELECT to_regclass('${table}') IS NOT NULL AS present`))[0].present;
    assert.equal(await present('slow_table'), false, 'nothing of the killed migration stays');
    assert.deepEqual((await db.query('SELECT version FROM seabuild_migrations ORDER BY version')).map((r) => r.version), ['0001']);

    await db.query('DROP TABLE slow_marker');
    // The rerun waits for the lock until the orphaned backend has rolled back.
    const rerun = await runProcess(argv, [], { DATABASE_URL: db.url });
    assert.equal(rerun.exitCode, 0, rerun.stderr);
    assert.deepEqual((await db.query('SELECT version FROM seabuild_migrations ORDER BY version')).map((r) => r.version), ['0001', '0002', '0003']);
    assert.deepEqual(await db.query('SELECT id FROM slow_table'), [{ id: 1 }], 'applied once');
    assert.deepEqual(rerun.stdout.split('\n').filter((line) => line.startsWith('applied ')).map((line) => line.split(' ')[1]), ['0002_slow.sql', '0003_third.sql']);
  } finally {
    await rm(workDir, { recursive: true, force: true });
    await db.drop();
  }
});
