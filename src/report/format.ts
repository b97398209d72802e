// Numbers for people: decimal units as registries and `docker images` print them (1 MB = 10^6 bytes),
// exact byte counts where a reader checks them, and aligned plain-text columns.
import type { ByteChange, ComponentChange } from './compare.ts';

/** `43.6 MB`, `775.7 kB`, `827 B` (decimal units). */
export function formatBytes(bytes: number): string {
  const abs = Math.abs(bytes);
  if (abs < 1000) return `${bytes} B`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let value = bytes / 1000;
  let unit = 0;
  while (Math.abs(value) >= 999.95 && unit < units.length - 1) { value /= 1000; unit += 1; }
  return `${value.toFixed(1)} ${units[unit]}`;
}

/** `1,234,567 B`. */
export function formatExactBytes(bytes: number): string {
  return `${bytes.toLocaleString('en-US')} B`;
}

/** `+3,024 B` under 10 kB, else `+1.2 MB (+1,234,567 B)`: always the exact count, for checking. */
export function formatDelta(deltaBytes: number): string {
  const sign = deltaBytes > 0 ? '+' : deltaBytes < 0 ? '-' : '±';
  const abs = Math.abs(deltaBytes);
  return abs < 10_000 ? `${sign}${formatExactBytes(abs)}` : `${sign}${formatBytes(abs)} (${sign}${formatExactBytes(abs)})`;
}

/** `+21.0%`, `-0.01%`, or `new` when there was nothing before. */
export function formatPercent(change: ByteChange): string {
  if (change.deltaPercent === null) return change.newBytes === null ? '' : 'new';
  if (change.newBytes === null) return '-100%';
  const digits = Math.abs(change.deltaPercent) < 1 ? 2 : 1;
  return `${change.deltaPercent >= 0 ? '+' : ''}${change.deltaPercent.toFixed(digits)}%`;
}

/** Share of a total, `94.1%`. */
export function formatShare(part: number, total: number): string {
  return total > 0 ? `${((part / total) * 100).toFixed(1)}%` : '';
}

/** Rows of cells as aligned columns; `right` lists the right-aligned column indexes. */
export function renderColumns(rows: readonly string[][], right: readonly number[] = []): string {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => { widths[i] = Math.max(widths[i] ?? 0, cell.length); });
  return rows
    .map((row) => row.map((cell, i) => (right.includes(i) ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!))).join('  ').trimEnd())
    .join('\n');
}

/** ` 1.0.0 → 1.0.1` when a package's version changed, ` 2.1.3` for an added or removed one, else ''. */
export function formatVersionChange(change: Pick<ComponentChange, 'version'>): string {
  const { old: before, new: after } = change.version ?? {};
  if (before === after) return '';
  if (before && after) return ` ${before} → ${after}`;
  return ` ${before ?? after}`;
}

/** `1 file`, `2 files`: a count with its noun in the right number. */
export function formatCount(count: number, noun: string, plural = `${noun}s`): string {
  return `${count} ${count === 1 ? noun : plural}`;
}

/** A commit as the build output shows it: 12 hex digits, and `-dirty` when it was (git describe --dirty). */
export function formatCommit(commit: string): string {
  return `${commit.slice(0, 12)}${commit.endsWith('-dirty') ? '-dirty' : ''}`;
}
