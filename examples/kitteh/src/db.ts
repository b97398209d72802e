// The database: PostgreSQL through a `pg` pool when DATABASE_URL is set, else PGlite (PostgreSQL
// compiled to WebAssembly) in DATA_DIR/pgdata — the same SQL and the same migrations on both.
// Schema changes come only from `kitteh migrate`; serve refuses to start on an unmigrated database.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import type { Config } from './config.ts';
import { HttpError } from './http-error.ts';

/** The little Kitteh needs from either database. */
export interface Database {
  kind: 'postgres' | 'pglite';
  query<Row = Record<string, unknown>>(text: string, params?: unknown[]): Promise<{ rows: Row[] }>;
  close(): Promise<void>;
}

/** Opens the configured database. */
export async function openDatabase(config: Readonly<Config>): Promise<Database> {
  if (config.databaseUrl) return openPostgres(config.databaseUrl, config.databasePoolSize);
  const pglite = await openEmbedded(config.dataDir);
  return {
    kind: 'pglite',
    query: async (text, params) => pglite.query(text, params),
    close: () => pglite.close(),
  };
}

/** The embedded database under `dataDir` (created on first use); `migrate` uses it too. */
export async function openEmbedded(dataDir: string): Promise<PGlite> {
  const dir = join(dataDir, 'pgdata');
  await mkdir(dir, { recursive: true });
  // Imported on demand: a deployment on PostgreSQL never loads the WebAssembly build.
  const { PGlite } = await import('@electric-sql/pglite');
  const db = new PGlite(dir);
  await db.waitReady;
  return db;
}

async function openPostgres(url: string, max: number): Promise<Database> {
  const { default: pg } = await import('pg');
  const pool = new pg.Pool({ connectionString: url, max });
  // An idle client losing its server emits 'error' on the pool; unhandled, it would end the process.
  pool.on('error', (error) => process.stderr.write(`postgres: idle connection lost: ${error.message}\n`));
  await pool.query('SELECT 1');
  return {
    kind: 'postgres',
    query: async <Row>(text: string, params?: unknown[]) => {
      try {
        return (await pool.query(text, params)) as unknown as { rows: Row[] };
      } catch (error) {
        throw unavailable(error) ?? error;
      }
    },
    close: () => pool.end(),
  };
}

// Node's socket errors, and the SQLSTATEs of a server going away or not there yet (PostgreSQL
// appendix A: class 08 connection exception; 57P01-57P03 shutdown and start-up; 53300 too many).
const UNREACHABLE = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE', '57P01', '57P02', '57P03', '53300']);

/** A query that failed because the database is not reachable: 503, try again. */
export class DatabaseUnavailableError extends HttpError {
  /** The statement may have reached the server and committed before the connection dropped. */
  readonly inDoubt: boolean;
  constructor(cause: unknown, inDoubt: boolean) {
    super(503, 'database_unavailable', 'The database is not reachable right now; nothing was kept, please try again in a moment', { cause, headers: { 'Retry-After': '5' } });
    this.inDoubt = inDoubt;
  }
}

function unavailable(error: unknown): DatabaseUnavailableError | undefined {
  const code = String((error as { code?: unknown })?.code ?? '');
  const message = (error as Error)?.message ?? '';
  // pg says this when the socket closes with the query in flight: it may have committed.
  if (/^Connection terminated/.test(message)) return new DatabaseUnavailableError(error, true);
  if (UNREACHABLE.has(code) || code.startsWith('08')) return new DatabaseUnavailableError(error, code === 'ECONNRESET' || code === 'EPIPE');
  return undefined;
}

/** Throws a readable error when the tables are missing (`migrate` has not run). */
export async function assertMigrated(db: Database): Promise<void> {
  const { rows } = await db.query<{ images: string | null; sizes: string | null }>(
    "SELECT to_regclass('images')::text AS images, to_regclass('image_sizes')::text AS sizes",
  );
  if (!rows[0]?.images || !rows[0]?.sizes) {
    const where = db.kind === 'pglite' ? 'the embedded database (DATA_DIR)' : 'DATABASE_URL';
    throw new Error(`${where} has no kitteh tables: run "kitteh migrate" first`);
  }
}
