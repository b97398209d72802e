// `migrate`: wires the embedded migrations and a database client to the runner in ./migrate/.
// Replaced by a stub in executables of apps without migrations (src/bundle/stubs.ts), so neither
// the runner nor pg ships where it is not used.
import type { SqlClient } from './contract.ts';
import type { RuntimeSource } from './build-info.ts';
import type { EmbeddedMigration } from './migrate/types.ts';
import { migrateCommand } from './migrate/index.ts';
import { connectPostgres } from './migrate/postgres.ts';
import { loadDevMigrations } from './dev-source.ts';

export interface MigrateInvocation {
  /** The app's embedded database (runApp's `database` hook), used when DATABASE_URL is unset. */
  database?: () => Promise<SqlClient>;
  env: NodeJS.ProcessEnv;
  source: RuntimeSource;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

/** Runs `migrate ARGS` against DATABASE_URL (pg) or the app's own database (e.g. embedded PGlite). */
export async function runMigrate(args: string[], { database, env, source, stdout, stderr }: MigrateInvocation): Promise<number> {
  const key = source.info.migrationsKey;
  if (key === undefined) {
    stderr.write(`${source.info.name}: this executable has no migrations (configure "migrations" in the seabuild config)\n`);
    return 2;
  }
  const migrations: EmbeddedMigration[] = source.isExecutable ? JSON.parse(source.read(key).toString('utf8')) : await loadDevMigrations(key);
  const openDatabase = async (): Promise<SqlClient> => {
    const url = env.DATABASE_URL;
    if (url) return connectPostgres(await import('pg'), url, env, { onWait: (m) => stderr.write(`migrate: ${m}\n`) });
    if (database) return database();
    throw new Error('DATABASE_URL is not set and the app defines no embedded database: set DATABASE_URL=postgres://…');
  };
  return migrateCommand(args, { migrations, openDatabase, stdout, stderr, env });
}
