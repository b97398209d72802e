// What `migrate` prints. Errors follow seabuild's shape: `file:line: message`, then indented notes.
import type { PlanEntry } from './plan.ts';
import type { MigrationFailure } from './runner.ts';

/** The `migrate status` table: VERSION, NAME, APPLIED AT (UTC), STATE; one row per migration. */
export function formatStatusTable(entries: PlanEntry[]): string {
  const header = ['VERSION', 'NAME', 'APPLIED AT', 'STATE'];
  const rows = entries.map((e) => [e.version, e.name, e.applied ? formatTimestamp(e.applied.appliedAt) : '-', e.state]);
  if (rows.length === 0) return 'no migrations embedded and none applied\n';
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  const format = (row: string[]) => row.map((cell, column) => cell.padEnd(widths[column]!)).join('  ').trimEnd();
  return [header, ...rows].map(format).join('\n') + '\n';
}

/** The error for a failed migration, with what happened to it and to the ones after it. */
export function formatFailure(failure: MigrationFailure, appliedBefore: number, notRun: number): string {
  const where = `${failure.migration.file}${failure.line ? `:${failure.line}` : ''}`;
  const lines = [`migrate: error: ${where}: ${failure.message}${failure.code ? ` (SQLSTATE ${failure.code})` : ''}`];
  if (failure.detail) lines.push(`  detail: ${failure.detail}`);
  if (failure.hint) lines.push(`  hint: ${failure.hint}`);
  lines.push(failure.rolledBack
    ? `  ${failure.migration.file} was rolled back`
    : `  ${failure.migration.file} ran outside a transaction (-- seabuild:no-transaction): check what it changed before running migrate again`);
  lines.push(`  ${appliedBefore} applied before it in this run stay applied; ${notRun} after it not run`);
  return lines.join('\n');
}

/** The refusal for an applied migration whose file changed. */
export function formatChanged(entry: PlanEntry): string {
  return [
    `migrate: error: ${entry.migration!.file}: changed after it was applied`
      + ` (checksum ${entry.applied!.checksum.slice(0, 12)}… in the database, ${entry.migration!.sha256.slice(0, 12)}… embedded)`,
    '  fix: restore the file as it was applied and put the change in a new migration; nothing was run',
  ].join('\n');
}

/** The warning for an applied migration this executable does not embed. */
export function formatMissing(entry: PlanEntry): string {
  return `migrate: warning: version ${entry.version} (${entry.name}) is applied but not embedded in this executable (migrated by a newer release?)`;
}

function formatTimestamp(value: Date | string): string {
  const date = value instanceof Date ? value : new Date(value);
  return Number.isNaN(date.getTime()) ? String(value) : date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
