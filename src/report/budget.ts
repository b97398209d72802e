// Size budgets for CI: `--budget 120MB` fails the step when the image is bigger. Compressed by
// default: that is what a registry stores and every pull downloads.
import { SeabuildError, usageError } from '../errors.ts';
import { formatBytes, formatExactBytes } from './format.ts';
import type { SizeReport } from './schema.ts';

/** Which total a budget limits. */
export type BudgetKind = 'compressed' | 'uncompressed';

/** A limit on one total. */
export interface Budget {
  limitBytes: number;
  kind: BudgetKind;
}

/** The verdict on one report. */
export interface BudgetResult extends Budget {
  actualBytes: number;
  ok: boolean;
  /** Positive when over. */
  overBytes: number;
  message: string;
}

const UNITS: Readonly<Record<string, number>> = {
  b: 1, kb: 1e3, mb: 1e6, gb: 1e9, tb: 1e12, kib: 2 ** 10, mib: 2 ** 20, gib: 2 ** 30, tib: 2 ** 40, k: 1e3, m: 1e6, g: 1e9,
};

/**
 * `120MB`, `120 MB`, `1.5GiB`, `500kB`, `123456B` → bytes. Decimal units are powers of 1000, as
 * registries print them. A number without a unit is refused: `--budget 40` meant 40 bytes, which
 * nobody means; bytes are written `40B`.
 */
export function parseSize(text: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(text);
  if (match && match[2] === '') {
    throw usageError(`size "${text}" has no unit`, `write it with one: ${match[1]}MB, ${match[1]}MiB, ${match[1]}GB (or ${match[1]}B for bytes)`);
  }
  const factor = match ? UNITS[match[2]!.toLowerCase()] : undefined;
  if (!match || factor === undefined) {
    throw usageError(`invalid size "${text}"`, 'write a size like 120MB, 1.5GB, 800MiB or 4096B');
  }
  return Math.round(Number(match[1]) * factor);
}

/** Checks the report's total against the budget. Compressed needs a report of an image. */
export function checkBudget(report: SizeReport, budget: Budget): BudgetResult {
  const actual = budget.kind === 'compressed' ? report.totals.compressedBytes : report.totals.uncompressedBytes;
  if (actual === null) {
    throw new SeabuildError({ code: 'BUDGET_NO_IMAGE', message: 'a compressed budget needs a report of an image, and this build made none', fix: 'build with the image, or pass --budget-kind uncompressed to limit the executable', exitCode: 2 });
  }
  const overBytes = actual - budget.limitBytes;
  const ok = overBytes <= 0;
  const sizes = `${formatBytes(actual)} ${budget.kind} (${formatExactBytes(actual)}), budget ${formatBytes(budget.limitBytes)}`;
  const message = ok
    ? `within budget: ${sizes}, ${formatBytes(-overBytes)} to spare`
    : `over budget: ${sizes}, ${formatBytes(overBytes)} (${formatExactBytes(overBytes)}) over`;
  return { ...budget, actualBytes: actual, ok, overBytes, message };
}
