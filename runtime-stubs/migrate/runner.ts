// The database side of `migrate`: the lock, the bookkeeping table and applying one migration.
// Plain SQL that PostgreSQL 15 and PGlite 0.5 (PostgreSQL 18 in WASM) both accept.
import type { SqlClient } from '../contract.ts';
import type { AppliedMigration } from './plan.ts';
import type { EmbeddedMigration } from './types.ts';

/** The bookkeeping table's name. */
export const MIGRATIONS_TABLE = 'seabuild_migrations';

// First 8 bytes of sha256('seabuild_migrations') read as a signed big-endian int64 (a test
// re-derives it): fixed, so every release of every app agrees, and unlikely to collide with an
// app's own advisory-lock keys. A session-level lock needs a session: it does not work through a
// transaction-pooling proxy (PgBouncer pool_mode=transaction); point DATABASE_URL past it.
export const MIGRATION_LOCK_KEY = '-5321421093395181142';

/** What a failed migration reports: the server's error plus where it happened. */
export interface MigrationFailure {
  migration: EmbeddedMigration;
  message: string;
  /** SQLSTATE, when the server sent one. */
  code?: string;
  /** 1-based line in the file, from the server's error position. */
  line?: number;
  detail?: string;
  hint?: string;
  /** Whether the failed migration was rolled back (false for `-- seabuild:no-transaction`). */
  rolledBack: boolean;
}

/**
 * Takes the session-level advisory lock that serialises every `migrate` against this database;
 * calls `onWait` once when another session holds it. Waiters poll pg_try_advisory_lock instead of
 * blocking in pg_advisory_lock: a session blocked in that SELECT holds a snapshot, which
 * CREATE INDEX CONCURRENTLY in the lock holder waits for, and PostgreSQL 15 then aborts the waiters
 * with "deadlock detected" (measured with 8 processes). Between polls a waiter holds no snapshot.
 * PGlite accepts the same calls (measured on 0.5.16); there the lock is per-session bookkeeping
 * only, since one process owns a PGlite database, and the in-process queue in index.ts serialises.
 */
export async function acquireMigrationLock(client: SqlClient, onWait: () => void): Promise<void> {
  let delayMs = 50;
  for (let attempt = 0; ; attempt++) {
    const { rows } = await client.query(`SELECT pg_try_advisory_lock(${MIGRATION_LOCK_KEY}) AS locked`);
    if (rows[0]?.locked === true) return;
    if (attempt === 0) onWait();
    await new Promise((resolve) => setTimeout(resolve, delayMs));
    delayMs = Math.min(delayMs * 2, 500);
  }
}

/** Releases the lock; closing the session would too, but a shared PGlite session stays open. */
export async function releaseMigrationLock(client: SqlClient): Promise<void> {
  await client.query(`SELECT pg_advisory_unlock(${MIGRATION_LOCK_KEY})`);
}

/** Creates the table; call it holding the lock (concurrent CREATE TABLE IF NOT EXISTS can fail with 23505). */
export async function createMigrationsTable(client: SqlClient): Promise<void> {
  await client.query(`CREATE TABLE IF NOT EXISTS ${MIGRATIONS_TABLE} (
  version text PRIMARY KEY,
  name text NOT NULL,
  checksum text NOT NULL,
  applied_at timestamptz NOT NULL DEFAULT now(),
  execution_ms integer NOT NULL
)`);
}

/** Reads the applied migrations; none when the table does not exist yet (nothing is created). */
export async function readAppliedMigrations(client: SqlClient): Promise<AppliedMigration[]> {
  const { rows: found } = await client.query(`SELECT to_regclass('${MIGRATIONS_TABLE}') IS NOT NULL AS present`);
  if (found[0]?.present !== true) return [];
  const { rows } = await client.query(`SELECT version, name, checksum, applied_at FROM ${MIGRATIONS_TABLE}`);
  return rows.map((row) => ({ version: row.version, name: row.name, checksum: row.checksum, appliedAt: row.applied_at }));
}

/**
 * Applies one migration and records it: BEGIN; the file; INSERT; COMMIT, each sent on its own so
 * that the server's error position is an offset into the file's text. A no-transaction migration
 * runs alone in autocommit, then gets its row. Returns the execution time, or the failure.
 */
export async function applyMigration(client: SqlClient, migration: EmbeddedMigration): Promise<{ executionMs: number } | { failure: MigrationFailure }> {
  const started = performance.now();
  try {
    if (migration.transactional) await client.query('BEGIN');
    await runScript(client, migration.sql);
    const executionMs = Math.round(performance.now() - started);
    await client.query(
      `INSERT INTO ${MIGRATIONS_TABLE} (version, name, checksum, applied_at, execution_ms) VALUES ($1, $2, $3, now(), $4)`,
      [migration.version, migration.name, migration.sha256, executionMs],
    );
    if (migration.transactional) await client.query('COMMIT');
    return { executionMs };
  } catch (error) {
    if (migration.transactional) await client.query('ROLLBACK').catch(() => {});
    return { failure: describeFailure(migration, error) };
  }
}

// PGlite's query() takes one statement (a prepared statement); its exec() takes many. pg's query()
// without parameters uses the simple protocol, which takes many.
async function runScript(client: SqlClient, sql: string): Promise<void> {
  if (client.exec) await client.exec(sql);
  else await client.query(sql);
}

function describeFailure(migration: EmbeddedMigration, error: unknown): MigrationFailure {
  const e = (error ?? {}) as { message?: string; code?: unknown; position?: unknown; detail?: unknown; hint?: unknown };
  const failure: MigrationFailure = { migration, message: String(e.message ?? error), rolledBack: migration.transactional };
  if (typeof e.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code)) failure.code = e.code;
  const line = lineAtPosition(migration.sql, Number(e.position));
  if (line !== undefined) failure.line = line;
  if (typeof e.detail === 'string' && e.detail) failure.detail = e.detail;
  if (typeof e.hint === 'string' && e.hint) failure.hint = e.hint;
  return failure;
}

/**
 * Maps the server's error position (1-based, counted in characters, not bytes: PostgreSQL's
 * ErrorResponse field P) to a 1-based line of `text`; undefined when there is no usable position.
 */
export function lineAtPosition(text: string, position: number): number | undefined {
  if (!Number.isInteger(position) || position < 1) return undefined;
  let line = 1;
  let characters = 0;
  for (const character of text) {
    if (++characters >= position) return line;
    if (character === '\n') line++;
  }
  return undefined;
}
