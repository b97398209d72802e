// `./app migrate`: applies the embedded migrations. Runs inside every executable, so it imports
// node builtins only (and none at all so far); the database client comes from `ctx.openDatabase`.
import type { SqlClient } from '../contract.ts';
import { planMigrations, selectPending, compareVersions, type PlanEntry } from './plan.ts';
import { formatFailure, formatStatusTable, formatChanged, formatMissing } from './render.ts';
import {
  acquireMigrationLock, applyMigration, createMigrationsTable, readAppliedMigrations, releaseMigrationLock,
} from './runner.ts';
import type { EmbeddedMigration, MigrateContext } from './types.ts';

export type { EmbeddedMigration, MigrateContext } from './types.ts';
export type { MigrationState } from './plan.ts';

/** The usage line printed by `--help` and after a usage error. */
export const MIGRATE_USAGE = 'usage: migrate [--to VERSION] [--dry-run] | migrate status | migrate --help';

const HELP = `${MIGRATE_USAGE}

Applies the SQL migrations embedded in this executable to the database, each in its own
transaction, recording them in the table seabuild_migrations. Safe to start from many replicas at
once: a PostgreSQL advisory lock lets one apply while the others wait and then find nothing to do.

  migrate              apply every pending migration
  migrate --to V       apply pending migrations up to and including version V
  migrate --dry-run    print what would be applied; change nothing
  migrate status       list every migration: pending, applied, changed (file edited after it was
                       applied) or missing (applied, not embedded); exit 1 if any is changed

Exit codes: 0 success, 1 failure (the failed migration is rolled back), 2 usage error.
`;

interface MigrateOptions {
  command: 'up' | 'status' | 'help';
  dryRun: boolean;
  toVersion?: string;
}

type Output = Pick<MigrateContext, 'stdout' | 'stderr'>;

// Runs sharing one client (one PGlite instance) take turns: a session-level advisory lock does
// not exclude its own session, and interleaved BEGINs on one session would mix migrations.
const queues = new WeakMap<SqlClient, Promise<unknown>>();

/** Runs `migrate` with `args` (the words after `migrate`); resolves to the process exit code. */
export async function migrateCommand(args: string[], ctx: MigrateContext): Promise<number> {
  const parsed = parseMigrateArgs(args, ctx.migrations);
  if (typeof parsed === 'string') {
    writeLine(ctx.stderr, `migrate: error: ${parsed}\n${MIGRATE_USAGE}`);
    return 2;
  }
  if (parsed.command === 'help') {
    ctx.stdout.write(HELP);
    return 0;
  }
  let client: SqlClient;
  try {
    client = await ctx.openDatabase();
  } catch (error) {
    // One line, no stack: connectPostgres already names host:port/database without the password.
    writeLine(ctx.stderr, `migrate: error: ${firstLine(error)}`);
    return 1;
  }
  try {
    const previous = queues.get(client) ?? Promise.resolve();
    const run = previous.then(() => runWithClient(client, parsed, ctx));
    queues.set(client, run.catch(() => {}));
    return await run;
  } catch (error) {
    writeLine(ctx.stderr, `migrate: error: ${firstLine(error)}`);
    return 1;
  } finally {
    await closeClient(client);
  }
}

/** Parses the words after `migrate`; returns a message (a usage error) or the options. */
export function parseMigrateArgs(args: string[], migrations: EmbeddedMigration[]): MigrateOptions | string {
  const options: MigrateOptions = { command: 'up', dryRun: false };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--help' || arg === '-h') return { ...options, command: 'help' };
    if (arg === 'status' && i === 0) options.command = 'status';
    else if (arg === '--dry-run') options.dryRun = true;
    else if (arg === '--to' || arg.startsWith('--to=')) {
      const value = arg === '--to' ? args[++i] : arg.slice('--to='.length);
      if (value === undefined || !/^\d+$/.test(value)) return `--to needs a version (digits), got ${value === undefined ? 'nothing' : `"${value}"`}`;
      const match = migrations.find((m) => compareVersions(m.version, value) === 0);
      if (!match) return `--to ${value}: no embedded migration has that version`;
      options.toVersion = match.version;
    } else return arg.startsWith('-') ? `unknown option "${arg}"` : `unknown argument "${arg}"`;
  }
  if (options.command === 'status' && (options.dryRun || options.toVersion !== undefined)) {
    return 'status takes no options';
  }
  return options;
}

async function runWithClient(client: SqlClient, options: MigrateOptions, ctx: MigrateContext): Promise<number> {
  if (options.command === 'status') {
    const entries = planMigrations(ctx.migrations, await readAppliedMigrations(client));
    ctx.stdout.write(formatStatusTable(entries));
    return entries.some((e) => e.state === 'changed') ? 1 : 0;
  }
  if (options.dryRun) return migrateUp(client, options, ctx, false);
  await acquireMigrationLock(client, () => writeLine(ctx.stderr, 'migrate: waiting for another migrate to finish (advisory lock)'));
  try {
    await createMigrationsTable(client);
    return await migrateUp(client, options, ctx, true);
  } finally {
    await releaseMigrationLock(client);
  }
}

async function migrateUp(client: SqlClient, options: MigrateOptions, ctx: MigrateContext, apply: boolean): Promise<number> {
  const entries = planMigrations(ctx.migrations, await readAppliedMigrations(client));
  if (refuseChanged(entries, ctx)) return 1;
  warnMissing(entries, ctx);
  const pending = selectPending(entries, options.toVersion);
  if (pending.length === 0) {
    writeLine(ctx.stdout, `nothing to migrate (${describeVersion(entries)})`);
    return 0;
  }
  if (!apply) {
    for (const m of pending) writeLine(ctx.stdout, `would apply ${m.file}${m.transactional ? '' : ' (no transaction)'}`);
    writeLine(ctx.stdout, `dry run: ${pending.length} pending, nothing changed`);
    return 0;
  }
  for (const [index, migration] of pending.entries()) {
    const result = await applyMigration(client, migration);
    if ('failure' in result) {
      writeLine(ctx.stderr, formatFailure(result.failure, index, pending.length - index - 1));
      return 1;
    }
    writeLine(ctx.stdout, `applied ${migration.file} (${result.executionMs} ms)`);
  }
  writeLine(ctx.stdout, `migrated: ${pending.length} applied, database at version ${pending.at(-1)!.version}`);
  return 0;
}

// An applied file that changed means this release and the database disagree on history; running
// anything on top of it would build on a schema nobody reviewed. Checked before any migration runs.
function refuseChanged(entries: PlanEntry[], out: Output): boolean {
  const changed = entries.filter((e) => e.state === 'changed');
  for (const entry of changed) writeLine(out.stderr, formatChanged(entry));
  return changed.length > 0;
}

// Missing rows are expected while an older release runs against a database a newer one migrated
// (a rollback): warn, but do not block.
function warnMissing(entries: PlanEntry[], out: Output): void {
  for (const entry of entries) if (entry.state === 'missing') writeLine(out.stderr, formatMissing(entry));
}

function describeVersion(entries: PlanEntry[]): string {
  const applied = entries.filter((e) => e.state === 'applied' || e.state === 'missing');
  return applied.length ? `database at version ${applied.at(-1)!.version}` : 'no migrations applied';
}

async function closeClient(client: SqlClient): Promise<void> {
  try {
    if (client.end) await client.end();
    else if (client.close) await client.close();
  } catch {
    // The work is done or already reported; a failing close adds nothing the user can act on.
  }
}

function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0] || 'unknown error';
}

function writeLine(stream: NodeJS.WritableStream, text: string): void {
  stream.write(`${text}\n`);
}
