// Runs `migrate` in its own process, the way an executable's dispatcher would:
//   node test/helpers/migrate-main.ts MIGRATIONS.json [migrate args…]
// with DATABASE_URL in the environment. MIGRATIONS.json holds EmbeddedMigration[].
import { readFileSync } from 'node:fs';
import pg from 'pg';
import { migrateCommand } from '../../runtime-stubs/migrate/index.ts';
import { connectPostgres } from '../../runtime-stubs/migrate/postgres.ts';
import type { EmbeddedMigration } from '../../runtime-stubs/migrate/types.ts';

const [migrationsPath, ...args] = process.argv.slice(2);
const migrations = JSON.parse(readFileSync(migrationsPath!, 'utf8')) as EmbeddedMigration[];
process.exitCode = await migrateCommand(args, {
  migrations,
  openDatabase: () => connectPostgres(pg, process.env.DATABASE_URL ?? '', process.env, {
    onWait: (message) => process.stderr.write(`migrate: ${message}\n`),
  }),
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
});
