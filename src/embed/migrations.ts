// Build side of `./app migrate`: reads the migrations folder, checks every file, and returns the
// set that is embedded in the executable as JSON (the runtime reads exactly `EmbeddedMigration[]`).
//
// Folder rules (each violation fails the build naming the file):
// - `NNNN_name.sql` or `YYYYMMDDHHMMSS_name.sql`: a run of digits, `_`, then letters, digits, `_`
//   or `-`. Versions compare as integers of any length (string-length aware, so 14-digit
//   timestamps and 4-digit counters can be mixed without overflow); two files with the same
//   integer version (`1_a.sql`, `0001_b.sql`) are duplicates.
// - Any other file ending in `.sql` (any case) is an error: silently skipping `001-init.sql` or
//   `0002_users.down.sql` would ship a release without it. Files not ending in `.sql`
//   (README.md, .gitkeep), dot-files (editor locks) and subdirectories are ignored.
// - `-- seabuild:no-transaction` on its own line among the leading comment lines opts a file out
//   of the per-migration transaction (for `CREATE INDEX CONCURRENTLY` and friends).
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { SeabuildError } from '../errors.ts';
import { sha256Hex } from '../sha256.ts';
import type { EmbeddedMigration } from '../../runtime-stubs/migrate/types.ts';
import { compareVersions } from '../../runtime-stubs/migrate/plan.ts';
import { splitSqlStatements } from './sql-statements.ts';

export type { EmbeddedMigration } from '../../runtime-stubs/migrate/types.ts';

/** The migrations of one build, ordered by version. */
export interface MigrationSet {
  migrations: EmbeddedMigration[];
  /** The folder they were read from (as given). */
  dir: string;
  /** Sum of `sizeBytes`: what the migrations add to the executable, before JSON overhead. */
  totalBytes: number;
}

/** The marker comment that opts a migration out of its transaction. */
export const NO_TRANSACTION_MARKER = '-- seabuild:no-transaction';

const fileNamePattern = /^(\d+)_([A-Za-z0-9][A-Za-z0-9_-]*)\.sql$/;
const markerPattern = /^--\s*seabuild:/i;
// Statements that end or start a transaction: inside the runner's BEGIN … COMMIT they would commit
// half a migration and leave the rest outside any transaction (PostgreSQL only warns on a nested BEGIN).
const transactionControl = new Set(['begin', 'start', 'commit', 'end', 'abort', 'rollback']);

/** Reads, checks and orders the migration files of `dir`; an empty folder gives an empty set. */
export async function collectMigrations(dir: string): Promise<MigrationSet> {
  const names = await listSqlFiles(dir);
  const migrations: EmbeddedMigration[] = [];
  for (const file of names) {
    migrations.push(await readMigration(dir, file));
  }
  migrations.sort((a, b) => compareVersions(a.version, b.version) || (a.file < b.file ? -1 : 1));
  rejectDuplicateVersions(dir, migrations);
  const totalBytes = migrations.reduce((sum, m) => sum + m.sizeBytes, 0);
  return { migrations, dir, totalBytes };
}

async function listSqlFiles(dir: string): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    throw new SeabuildError({
      code: code === 'ENOTDIR' ? 'MIGRATIONS_DIR_NOT_A_DIRECTORY' : 'MIGRATIONS_DIR_NOT_FOUND',
      message: code === 'ENOTDIR' ? 'the migrations folder is a file' : `cannot read the migrations folder (${code ?? 'EIO'})`,
      file: dir,
      fix: 'create the folder, or point the `migrations` setting at the folder that holds your NNNN_name.sql files',
      cause,
    });
  }
  const files: string[] = [];
  for (const entry of entries) {
    if (entry.name.startsWith('.') || !entry.name.toLowerCase().endsWith('.sql')) continue;
    // readdir reports a symlink as a symlink: follow it so a linked file counts as a file.
    if (entry.isDirectory() || (entry.isSymbolicLink() && (await isDirectory(join(dir, entry.name))))) continue;
    if (!fileNamePattern.test(entry.name)) throw malformedName(dir, entry.name);
    files.push(entry.name);
  }
  return files.sort();
}

// A dangling link counts as a file, so that reading it reports MIGRATION_UNREADABLE with its name.
async function isDirectory(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined))?.isDirectory() ?? false;
}

function malformedName(dir: string, file: string): SeabuildError {
  return new SeabuildError({
    code: 'MIGRATION_NAME_INVALID',
    message: `migration file name "${file}" is not VERSION_name.sql`,
    file: join(dir, file),
    fix: 'rename it to NNNN_name.sql or YYYYMMDDHHMMSS_name.sql (digits, an underscore, then letters, digits, _ or -; lower-case .sql); seabuild runs forward migrations only',
  });
}

async function readMigration(dir: string, file: string): Promise<EmbeddedMigration> {
  const path = join(dir, file);
  const bytes = await readFile(path).catch((cause: NodeJS.ErrnoException) => {
    throw new SeabuildError({
      code: 'MIGRATION_UNREADABLE',
      message: `cannot read migration file (${cause.code ?? 'EIO'})`,
      file: path,
      fix: 'check that the file (or the link target) exists and is readable',
      cause,
    });
  });
  const match = fileNamePattern.exec(file)!;
  const sql = decodeUtf8(bytes, path);
  const transactional = !hasNoTransactionMarker(sql, path);
  checkStatements(sql, transactional, path);
  return {
    version: match[1]!,
    name: match[2]!,
    file,
    sha256: sha256Hex(bytes),
    sql,
    transactional,
    sizeBytes: bytes.length,
  };
}

function decodeUtf8(bytes: Buffer, path: string): string {
  try {
    // fatal: a Latin-1 file would otherwise reach the server with U+FFFD in place of its accents.
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch (cause) {
    throw new SeabuildError({
      code: 'MIGRATION_NOT_UTF8',
      message: 'migration file is not valid UTF-8',
      file: path,
      fix: 'save the file as UTF-8 (e.g. `iconv -f latin1 -t utf-8`)',
      cause,
    });
  }
}

// The marker counts only in the leading block of blank and `--` lines; a `seabuild:` comment that is
// misspelt or placed after the first statement is an error rather than a silently ignored opt-out.
function hasNoTransactionMarker(sql: string, path: string): boolean {
  const lines = sql.split('\n');
  let inHeader = true;
  let found = false;
  for (const [index, raw] of lines.entries()) {
    const line = raw.trim();
    if (inHeader && line !== '' && !line.startsWith('--')) inHeader = false;
    if (!markerPattern.test(line)) continue;
    const misplaced = !inHeader;
    if (misplaced || line !== NO_TRANSACTION_MARKER) {
      throw new SeabuildError({
        code: misplaced ? 'MIGRATION_MARKER_MISPLACED' : 'MIGRATION_MARKER_UNKNOWN',
        message: misplaced
          ? 'the seabuild marker comment must come before the first SQL statement'
          : `unknown seabuild marker "${line}"`,
        file: path,
        line: index + 1,
        fix: `put "${NO_TRANSACTION_MARKER}" on its own line at the top of the file`,
      });
    }
    found = true;
  }
  return found;
}

function checkStatements(sql: string, transactional: boolean, path: string): void {
  const statements = splitSqlStatements(sql);
  if (transactional) {
    const control = statements.find((s) => transactionControl.has(s.words[0]!) && !(s.words[0] === 'rollback' && s.words[1] === 'to'));
    if (!control) return;
    throw new SeabuildError({
      code: 'MIGRATION_TRANSACTION_CONTROL',
      message: `migration contains "${control.words[0]!.toUpperCase()}": seabuild already runs each migration in its own transaction`,
      file: path,
      line: control.line,
      fix: `remove the BEGIN/COMMIT statements, or add "${NO_TRANSACTION_MARKER}" at the top and manage transactions yourself`,
    });
  }
  if (!transactional && statements.length > 1) {
    // PostgreSQL runs a multi-statement query string as one implicit transaction, where
    // CREATE INDEX CONCURRENTLY fails with 25001 (measured on PostgreSQL 15): one statement per file.
    throw new SeabuildError({
      code: 'MIGRATION_NO_TRANSACTION_MULTIPLE_STATEMENTS',
      message: `a ${NO_TRANSACTION_MARKER} migration must hold one statement; this one holds ${statements.length}`,
      file: path,
      line: statements[1]!.line,
      fix: 'move each statement into its own migration file',
    });
  }
}

function rejectDuplicateVersions(dir: string, migrations: EmbeddedMigration[]): void {
  for (let i = 1; i < migrations.length; i++) {
    const previous = migrations[i - 1]!;
    const current = migrations[i]!;
    if (compareVersions(previous.version, current.version) !== 0) continue;
    throw new SeabuildError({
      code: 'MIGRATION_VERSION_DUPLICATE',
      message: `version ${current.version} is used by both ${previous.file} and ${current.file}`,
      file: join(dir, current.file),
      fix: 'give one of them the next free version number (versions are compared as integers)',
    });
  }
}
