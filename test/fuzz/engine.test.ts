// The fuzzing engine finds what it exists to find: an exception behind three nested byte checks
// (blind mutation would need about 256³ tries; coverage feedback a few thousand) and a hang.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fuzz } from './run.ts';

const moduleUrl = new URL('./testdata/planted-targets.ts', import.meta.url).href;

test('coverage feedback reaches an exception three bytes deep, with the input that raised it', async () => {
  const outcome = await fuzz({ moduleUrl, name: 'deep', execs: 1_000_000, seconds: 120, maxBytes: 64, stopAtFinding: true });
  assert.equal(outcome.findings.length, 1);
  const [finding] = outcome.findings;
  assert.equal(finding!.kind, 'exception');
  assert.match(finding!.message, /^TypeError: planted three bytes deep/);
  assert.equal(finding!.input.subarray(0, 3).toString('latin1'), 'FUZ');
});

test('an input that never returns is a hang, reported with that input', async () => {
  const outcome = await fuzz({ moduleUrl, name: 'hang', execs: 200_000, seconds: 60, maxBytes: 64, hangMs: 1000 });
  assert.equal(outcome.findings.length, 1);
  assert.equal(outcome.findings[0]!.kind, 'hang');
  assert.equal(outcome.findings[0]!.input[1], 0x42);
});
