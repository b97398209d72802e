import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkBudget, parseSize } from './budget.ts';
import type { SizeReport } from './schema.ts';

test('parseSize reads decimal and binary units, and plain bytes', () => {
  const table: Array<[string, number]> = [
    ['120MB', 120_000_000], ['120 mb', 120_000_000], ['1.5GB', 1_500_000_000], ['500kB', 500_000],
    ['800MiB', 800 * 2 ** 20], ['1GiB', 2 ** 30], ['123456B', 123_456], ['10B', 10], ['40 KiB', 40 * 1024],
  ];
  for (const [text, bytes] of table) assert.equal(parseSize(text), bytes, text);
});

test('parseSize: a number without a unit is a usage error asking for one', () => {
  assert.throws(() => parseSize('40'), (error: { code?: string; exitCode?: number; message: string; fix?: string }) => error.code === 'USAGE' && error.exitCode === 2 && /no unit/.test(error.message) && /40MB/.test(error.fix ?? ''));
});

test('parseSize rejects what it cannot read, as a usage error', () => {
  for (const text of ['', 'MB', '12 parsecs', '-5MB', '1e9']) {
    assert.throws(() => parseSize(text), (error: { code?: string; exitCode?: number }) => error.code === 'USAGE' && error.exitCode === 2, text);
  }
});

const report = (compressedBytes: number | null, uncompressedBytes: number) => ({ totals: { compressedBytes, uncompressedBytes } }) as SizeReport;

test('checkBudget: compressed by default, exactly at the limit is within it', () => {
  assert.equal(checkBudget(report(100, 300), { limitBytes: 100, kind: 'compressed' }).ok, true);
  const over = checkBudget(report(101, 300), { limitBytes: 100, kind: 'compressed' });
  assert.equal(over.ok, false);
  assert.equal(over.overBytes, 1);
  assert.equal(checkBudget(report(100, 300), { limitBytes: 200, kind: 'uncompressed' }).ok, false);
});

test('checkBudget: a compressed budget on a report without an image is a usage error', () => {
  assert.throws(() => checkBudget(report(null, 300), { limitBytes: 1000, kind: 'compressed' }), { code: 'BUDGET_NO_IMAGE' });
  assert.equal(checkBudget(report(null, 300), { limitBytes: 1000, kind: 'uncompressed' }).ok, true);
});
