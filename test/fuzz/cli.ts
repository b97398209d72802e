// Runs fuzz targets from the command line:
//   node test/fuzz/cli.ts [--targets MODULE] [--execs N] [--seconds S] [--seed N] [--keep] NAME...
// --keep writes each finding into the target's corpus (a regression case once it is fixed).
// Prints one line per target: executions, corpus, coverage features, findings.
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { fuzz } from './run.ts';
import type { FuzzTarget } from './target.ts';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    targets: { type: 'string', default: new URL('./targets.ts', import.meta.url).pathname },
    execs: { type: 'string', default: '1000000000' },
    seconds: { type: 'string', default: '60' },
    seed: { type: 'string', default: '1' },
    keep: { type: 'boolean', default: false },
  },
});
const moduleUrl = pathToFileURL(resolve(values.targets)).href;
const targets: Record<string, FuzzTarget> = (await import(moduleUrl)).fuzzTargets;
let failed = false;
for (const name of positionals.length > 0 ? positionals : Object.keys(targets)) {
  const target = targets[name];
  if (!target) throw new Error(`no fuzz target "${name}"; have: ${Object.keys(targets).join(', ')}`);
  const outcome = await fuzz({ moduleUrl, name, execs: Number(values.execs), seconds: Number(values.seconds), seed: Number(values.seed), maxBytes: target.maxBytes });
  const rate = outcome.execs ? Math.round(outcome.execs / (outcome.elapsedMs / 1000)) : 0;
  console.log(`${name}: ${outcome.execs ?? '?'} executions in ${(outcome.elapsedMs / 1000).toFixed(1)} s (${rate}/s), ${outcome.seeds ?? '?'} seeds, corpus ${outcome.corpusSize ?? '?'}, ${outcome.features ?? '?'} features, ${outcome.findings.length} findings`);
  for (const finding of outcome.findings) {
    failed = true;
    const file = join(target.corpusDir, `finding-${createHash('sha256').update(finding.input).digest('hex').slice(0, 12)}`);
    console.log(`  ${finding.kind}: ${finding.message.split('\n').join('\n    ')}\n    input: ${finding.input.length} bytes${values.keep ? ` → ${file}` : ''}`);
    if (values.keep) writeFileSync(file, finding.input);
  }
}
process.exitCode = failed ? 1 : 0;
