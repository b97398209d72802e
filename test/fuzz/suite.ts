// The fuzz targets as tests: each for a fixed number of executions (the same seed and corpus try
// the same inputs in every run), after its whole corpus: the seeds and each earlier finding. A
// finding fails the test with the input written out, ready to be kept as a regression case
// (node test/fuzz/cli.ts --keep NAME). Longer runs: node test/fuzz/cli.ts --seconds 600 NAME.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { it } from 'node:test';
import { fuzz } from './run.ts';
import type { FuzzTarget } from './target.ts';

/** Executions per target in the test suite: about 10 s each here (75 s for all nine). */
export const CI_EXECUTIONS: Record<string, number> = {
  elf: 3000, ldconf: 4000, 'image-archive': 1000, 'image-docs': 1200, report: 5000, config: 3000, 'jpeg-strip': 30000, 'webp-strip': 30000,
};

/** Fuzzes every target of `moduleUrl` as a test each. */
export async function fuzzEveryTarget(moduleUrl: string): Promise<void> {
  const targets: Record<string, FuzzTarget> = (await import(moduleUrl)).fuzzTargets;
  for (const [name, target] of Object.entries(targets)) {
    it(`${name}: its corpus and ${CI_EXECUTIONS[name] ?? 5000} mutated inputs keep the contract`, async () => {
      const outcome = await fuzz({ moduleUrl, name, execs: CI_EXECUTIONS[name] ?? 5000, seconds: 90, maxBytes: target.maxBytes });
      const found = outcome.findings.map((finding) => {
        const file = join(tmpdir(), `fuzz-${name}-${createHash('sha256').update(finding.input).digest('hex').slice(0, 12)}`);
        writeFileSync(file, finding.input);
        return `${finding.kind}: ${finding.message}\n  input: ${file}`;
      });
      assert.deepEqual(found, []);
      assert.ok((outcome.execs ?? 0) > 0, 'the fuzzer ran no input');
    });
  }
}

