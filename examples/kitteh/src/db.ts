// The database: PostgreSQL through a `pg` pool when DATABASE_URL is set, else PGlite (PostgreSQL
// compiled to WebAssembly) in DATA_DIR/pgdata — the same SQL and the same migrations on both.
// Schema changes come only from `kitteh migrate`; serve refuses to start on an unmigrated database.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import type { Config } from './config.ts';

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
    query: async <Row>(text: string, params?: unknown[]) => (await pool.query(text, params)) as unknown as { rows: Row[] },
    close: () => pool.end(),
  };
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
