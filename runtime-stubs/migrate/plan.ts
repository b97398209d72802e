// Pure comparison of the embedded migrations with the rows of seabuild_migrations: no I/O here,
// so `status`, `--dry-run` and the real run agree on what is pending.
import type { EmbeddedMigration } from './types.ts';

/** A row of `seabuild_migrations` as read back. */
export interface AppliedMigration {
  version: string;
  name: string;
  checksum: string;
  appliedAt: Date | string;
}

/**
 * pending: embedded, not applied. applied: applied with the same checksum. changed: applied, but
 * the embedded file's sha256 differs. missing: applied, but no embedded file has that version
 * (the database was migrated by a newer release).
 */
export type MigrationState = 'pending' | 'applied' | 'changed' | 'missing';

/** One line of `migrate status`. */
export interface PlanEntry {
  version: string;
  name: string;
  state: MigrationState;
  /** Absent for a missing migration. */
  migration?: EmbeddedMigration;
  applied?: AppliedMigration;
}

/** Orders two digit strings as integers of any length (`9` < `0010` < `20240101000000`). */
export function compareVersions(a: string, b: string): number {
  const x = a.replace(/^0+(?=\d)/, '');
  const y = b.replace(/^0+(?=\d)/, '');
  if (x.length !== y.length) return x.length - y.length;
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Merges embedded and applied migrations into one list ordered by version. */
export function planMigrations(embedded: EmbeddedMigration[], applied: AppliedMigration[]): PlanEntry[] {
  const byVersion = new Map(applied.map((row) => [row.version, row]));
  const entries: PlanEntry[] = embedded.map((migration) => {
    const row = byVersion.get(migration.version);
    byVersion.delete(migration.version);
    const state: MigrationState = !row ? 'pending' : row.checksum === migration.sha256 ? 'applied' : 'changed';
    return { version: migration.version, name: migration.name, state, migration, ...(row ? { applied: row } : {}) };
  });
  for (const row of byVersion.values()) {
    entries.push({ version: row.version, name: row.name, state: 'missing', applied: row });
  }
  return entries.sort((a, b) => compareVersions(a.version, b.version));
}

/**
 * The migrations a run applies, in order: every pending one up to `toVersion` (inclusive). A
 * pending migration older than an applied one (a branch merged late) is applied too, in order.
 */
export function selectPending(entries: PlanEntry[], toVersion?: string): EmbeddedMigration[] {
  return entries
    .filter((entry) => entry.state === 'pending' && (toVersion === undefined || compareVersions(entry.version, toVersion) <= 0))
    .map((entry) => entry.migration!);
}
