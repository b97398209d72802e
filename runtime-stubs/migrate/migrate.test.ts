// migrateCommand against real PostgreSQL 15 (concurrency with real processes) and against PGlite,
// one suite for both. The lead's executable tests reuse test/helpers/migrate-process.ts with
// `[executable, 'migrate']` as argv.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { collectMigrations } from '../../src/embed/migrations.ts';
import { createTestDatabase, ensurePostgres } from '../../test/helpers/postgres.ts';
import { migrateScriptArgv, runConcurrently, type ProcessResult } from '../../test/helpers/migrate-process.ts';
import type { SqlClient } from '../contract.ts';
import { migrateCommand } from './index.ts';
import { connectPostgres } from './postgres.ts';
import type { EmbeddedMigration } from './types.ts';

const fixtures = join(import.meta.dirname, '../../test/fixtures/migrations');
const valid = (await collectMigrations(join(fixtures, 'valid'))).migrations;
const broken = (await collectMigrations(join(fixtures, 'runtime-broken'))).migrations[0]!;
const withBrokenThird = [valid[0]!, valid[1]!, broken, valid[3]!];

/** A database under test, reached the way the backend is used in production. */
interface Harness {
  run(args: string[], migrations: EmbeddedMigration[]): Promise<ProcessResult>;
  runConcurrently(count: number, args: string[], migrations: EmbeddedMigration[]): Promise<ProcessResult[]>;
  query(sql: string): Promise<any[]>;
  close(): Promise<void>;
}

function migration(version: string, name: string, sql: string): EmbeddedMigration {
  const sha256 = createHash('sha256').update(sql).digest('hex');
  return { version, name, file: `${version}_${name}.sql`, sha256, sql, transactional: true, sizeBytes: Buffer.byteLength(sql) };
}

async function runInProcess(args: string[], migrations: EmbeddedMigration[], openDatabase: () => Promise<SqlClient>): Promise<ProcessResult> {
  const stdout = new PassThrough({ encoding: 'utf8' });
  const stderr = new PassThrough({ encoding: 'utf8' });
  const exitCode = await migrateCommand(args, { migrations, openDatabase, stdout, stderr, env: {} });
  return { exitCode, stdout: stdout.read() ?? '', stderr: stderr.read() ?? '' };
}

async function postgresHarness(): Promise<Harness> {
  const db = await createTestDatabase();
  const workDir = await mkdtemp(join(tmpdir(), 'seabuild-migrate-'));
  return {
    run: (args, migrations) => runInProcess(args, migrations, () => connectPostgres(pg, db.url, {})),
    runConcurrently: async (count, args, migrations) => {
      const argv = await migrateScriptArgv(migrations, join(workDir, 'migrations.json'));
      return runConcurrently(count, argv, args, { DATABASE_URL: db.url });
    },
    query: (sql) => db.query(sql),
    close: async () => { await db.drop(); await rm(workDir, { recursive: true, force: true }); },
  };
}

async function pgliteHarness(): Promise<Harness> {
  const db = new PGlite();
  // One shared client without close(): migrateCommand closes what openDatabase returns, and the
  // test inspects the same in-memory database afterwards.
  const shared: SqlClient = { query: (text, params) => db.query(text, params), exec: (text) => db.exec(text) };
  const run = (args: string[], migrations: EmbeddedMigration[]) => runInProcess(args, migrations, async () => shared);
  return {
    run,
    // PGlite is one process's embedded database: concurrency means concurrent runs in that process.
    runConcurrently: (count, args, migrations) => Promise.all(Array.from({ length: count }, () => run(args, migrations))),
    query: async (sql) => (await db.query(sql)).rows,
    close: () => db.close(),
  };
}

const postgres = await ensurePostgres();
const backends = [
  { name: 'PostgreSQL 15', create: postgresHarness, skip: postgres.ok ? false : postgres.reason },
  { name: 'PGlite', create: pgliteHarness, skip: false },
];

for (const backend of backends) {
  describe(`migrate on ${backend.name}`, { skip: backend.skip }, () => {
    let h: Harness;
    before(async () => { h = await backend.create(); });
    after(async () => { await h?.close(); });
    const tableExists = async (name: string) => (await h.query(`SELECT to_regclass('${name}') IS NOT NULL AS present`))[0].present;
    const appliedVersions = async () => (await h.query('SELECT version FROM seabuild_migrations ORDER BY version')).map((r) => r.version);
    const reset = async () => {
      for (const table of ['seabuild_migrations', 'posts', 'users', 'tags', 't5']) await h.query(`DROP TABLE IF EXISTS ${table} CASCADE`);
      await h.query('DROP FUNCTION IF EXISTS post_count()');
    };

    it('status on an empty database lists every migration as pending and creates nothing', async () => {
      await reset();
      const result = await h.run(['status'], valid);
      assert.equal(result.exitCode, 0, result.stderr);
      const lines = result.stdout.trim().split('\n');
      assert.match(lines[0]!, /^VERSION\s+NAME\s+APPLIED AT\s+STATE$/);
      assert.deepEqual(lines.slice(1).map((l) => l.split(/\s+/)), valid.map((m) => [m.version, m.name, '-', 'pending']));
      assert.equal(await tableExists('seabuild_migrations'), false);
    });

    it('--dry-run prints what would run and changes nothing', async () => {
      await reset();
      const result = await h.run(['--dry-run'], valid);
      assert.equal(result.exitCode, 0, result.stderr);
      assert.match(result.stdout, /would apply 0001_create_users\.sql\n[^]*would apply 0004_index_users_email\.sql \(no transaction\)/);
      assert.equal(await tableExists('seabuild_migrations'), false);
      assert.equal(await tableExists('users'), false);
    });

    it('--to applies up to and including that version; a later run applies the rest', async () => {
      await reset();
      const first = await h.run(['--to', '2'], valid);
      assert.equal(first.exitCode, 0, first.stderr);
      assert.deepEqual(await appliedVersions(), ['0001', '0002']);
      const dry = await h.run(['--dry-run'], valid);
      assert.match(dry.stdout, /dry run: 2 pending, nothing changed/);
      assert.deepEqual(await appliedVersions(), ['0001', '0002']);
      const rest = await h.run([], valid);
      assert.equal(rest.exitCode, 0, rest.stderr);
      assert.deepEqual(await appliedVersions(), ['0001', '0002', '0003', '0004']);
    });

    it('migrate records name, checksum and time of each migration; a second run has nothing to do', async () => {
      await reset();
      assert.equal((await h.run([], valid)).exitCode, 0);
      const rows = await h.query('SELECT version, name, checksum, applied_at, execution_ms FROM seabuild_migrations ORDER BY version');
      assert.deepEqual(rows.map((r) => [r.version, r.name, r.checksum]), valid.map((m) => [m.version, m.name, m.sha256]));
      assert.ok(rows.every((r) => r.applied_at instanceof Date && Number.isInteger(r.execution_ms)));
      const again = await h.run([], valid);
      assert.equal(again.exitCode, 0);
      assert.match(again.stdout, /nothing to migrate \(database at version 0004\)/);
      const status = await h.run(['status'], valid);
      assert.deepEqual(status.stdout.trim().split('\n').slice(1).map((l) => l.split(/\s+/).at(-1)), ['applied', 'applied', 'applied', 'applied']);
    });

    it('a failing third migration is rolled back, the first two stay, nothing after it runs', async () => {
      await reset();
      const result = await h.run([], withBrokenThird);
      assert.equal(result.exitCode, 1);
      assert.match(result.stderr, /0003_create_tags_broken\.sql:7: column "nope" does not exist \(SQLSTATE 42703\)/);
      assert.deepEqual(await appliedVersions(), ['0001', '0002']);
      assert.equal(await tableExists('tags'), false, 'the failed migration left no table');
      assert.equal(await tableExists('users_email'), false, 'the migration after it did not run');
    });

    it('maps the server\'s character position to the file line past multi-byte characters', async () => {
      await reset();
      const sql = '-- 😺 Ünïcödé: PostgreSQL counts characters, not bytes or UTF-16 units\nCREATE TABLE t5 (\n  label text DEFAULT \'😺😺😺\'\n);\nSELECT nope FROM t5;\n';
      const result = await h.run([], [migration('0001', 'unicode', sql)]);
      assert.equal(result.exitCode, 1);
      assert.match(result.stderr, /^migrate: error: 0001_unicode\.sql:5: column "nope" does not exist/m);
      assert.equal(await tableExists('t5'), false);
    });

    it('an edited applied migration is refused before anything runs; status shows it as changed', async () => {
      await reset();
      assert.equal((await h.run(['--to', '0003'], valid)).exitCode, 0);
      const edited = { ...valid[1]!, sql: `${valid[1]!.sql}-- edited\n`, sha256: 'f'.repeat(64) };
      const next = [valid[0]!, edited, valid[2]!, valid[3]!, migration('0005', 't5', 'CREATE TABLE t5 (id int);')];
      const result = await h.run([], next);
      assert.equal(result.exitCode, 1);
      assert.match(result.stderr, /0002_add_email\.sql: changed after it was applied/);
      assert.deepEqual(await appliedVersions(), ['0001', '0002', '0003']);
      assert.equal(await tableExists('t5'), false);
      const status = await h.run(['status'], next);
      assert.equal(status.exitCode, 1);
      assert.match(status.stdout, /^0002\s+add_email\s+\S+\s+changed$/m);
      assert.match(status.stdout, /^0005\s+t5\s+-\s+pending$/m);
    });

    it('an applied migration this executable does not embed shows as missing and does not block', async () => {
      await reset();
      assert.equal((await h.run([], valid)).exitCode, 0);
      const older = valid.slice(0, 3);
      const status = await h.run(['status'], older);
      assert.match(status.stdout, /^0004\s+index_users_email\s+\S+\s+missing$/m);
      const result = await h.run([], older);
      assert.equal(result.exitCode, 0);
      assert.match(result.stderr, /version 0004 \(index_users_email\) is applied but not embedded/);
    });

    it('8 concurrent runs apply each migration exactly once and all exit 0', async () => {
      await reset();
      const results = await h.runConcurrently(8, [], valid);
      for (const result of results) assert.equal(result.exitCode, 0, result.stderr);
      const applyLines = results.flatMap((r) => r.stdout.split('\n').filter((line) => line.startsWith('applied ')));
      assert.deepEqual(applyLines.map((line) => line.split(' ')[1]).sort(), valid.map((m) => m.file));
      assert.deepEqual(await appliedVersions(), ['0001', '0002', '0003', '0004']);
      assert.equal((await h.query('SELECT count(*)::int AS n FROM users'))[0].n, 1, '0002 inserted its row once');
    });
  });
}

describe('migrate command line', () => {
  const cases: Array<[args: string[], code: number, pattern: RegExp]> = [
    [['--frobnicate'], 2, /unknown option "--frobnicate"\nusage: migrate/],
    [['up'], 2, /unknown argument "up"/],
    [['--to'], 2, /--to needs a version/],
    [['--to', '0099'], 2, /--to 0099: no embedded migration has that version/],
    [['status', '--dry-run'], 2, /status takes no options/],
  ];
  for (const [args, code, pattern] of cases) {
    it(`${args.join(' ')} exits ${code} without opening the database`, async () => {
      const result = await runInProcess(args, valid, () => { throw new Error('must not connect'); });
      assert.equal(result.exitCode, code);
      assert.match(result.stderr, pattern);
    });
  }

  it('--help prints the usage and the subcommands', async () => {
    const result = await runInProcess(['--help'], valid, () => { throw new Error('must not connect'); });
    assert.equal(result.exitCode, 0);
    assert.match(result.stdout, /usage: migrate[^]*migrate status/);
  });

  it('a database that cannot be opened gives one line and exit 1', async () => {
    const result = await runInProcess([], valid, () => connectPostgres(pg, 'postgres://app:secret@127.0.0.1:1/db', { DATABASE_CONNECT_TIMEOUT: '0' }));
    assert.equal(result.exitCode, 1);
    assert.equal(result.stderr, 'migrate: error: cannot connect to PostgreSQL at 127.0.0.1:1/db: connection refused\n');
  });
});
