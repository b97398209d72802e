// Types shared by the build side (src/embed/migrations.ts writes them) and the runtime (reads them
// back from the embedded JSON asset). Types only: this file adds no bytes to the executable.
import type { SqlClient } from '../contract.ts';

/** One migration file as embedded in the executable. */
export interface EmbeddedMigration {
  /** The digits before the first `_`, as written in the file name (`0003`, `20240131120000`). */
  version: string;
  /** The part after the version, without `.sql` (`create_users`). */
  name: string;
  /** The file's basename (`0003_create_users.sql`); every message names it. */
  file: string;
  /** Lower-case hex sha256 of the file's bytes, stored as `checksum` once applied. */
  sha256: string;
  /** The file's text (UTF-8, without a byte-order mark), sent to the server unchanged. */
  sql: string;
  /** False when the file starts with the `-- seabuild:no-transaction` marker. */
  transactional: boolean;
  sizeBytes: number;
}

/** What `migrateCommand` needs from the runtime that calls it. */
export interface MigrateContext {
  /** Embedded migrations, ordered by version (as `collectMigrations` wrote them). */
  migrations: EmbeddedMigration[];
  /** Opens the database; `migrateCommand` closes what it opened. Throw an Error with a one-line message on failure. */
  openDatabase(): Promise<SqlClient>;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  env: NodeJS.ProcessEnv;
}
