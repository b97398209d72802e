// The fuzzing loop, in a worker thread so that the parent can stop it when an input hangs: run the
// corpus, then mutate entries, keeping every input that reaches a code block not reached before.
// V8's precise block coverage is the guide (what -fsanitize-coverage gives libFuzzer in C). Taking
// it costs more than most executions (4.5 ms against 1.2 ms for an ELF, measured), so it is taken
// once per batch of executions; only a batch that reached a new block is run again one by one to
// find which inputs did.
import { Session } from 'node:inspector';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { mutate, seededRandom } from './mutate.ts';
import type { FuzzTarget } from './target.ts';

/** What the parent passes in. */
export interface WorkerInput {
  moduleUrl: string;
  name: string;
  execs: number;
  seconds: number;
  seed: number;
  /** An empty folder the parent removes afterwards. */
  workDir: string;
  /** [0] = executions started; [1] = length of the current input, whose bytes follow at byte 8. */
  shared: SharedArrayBuffer;
}

/** One broken contract. */
export interface Finding { kind: 'exception' | 'unhandled' | 'hang' | 'crash'; message: string; input: Buffer }

/** What the worker posts at the end (and a Finding as soon as one happens). */
export interface WorkerResult { execs: number; corpusSize: number; features: number; seeds: number; newInputs: Buffer[] }

const input = workerData as WorkerInput;
const target: FuzzTarget = (await import(input.moduleUrl)).fuzzTargets[input.name];
const counters = new Int32Array(input.shared, 0, 2);
const current = new Uint8Array(input.shared, 8);
const session = new Session();
session.connect();
const post = (method: string, params: object = {}): any => {
  let result: any;
  let failure: Error | null = null;
  session.post(method, params, (error, answer) => { failure = error; result = answer; }); // synchronous in-thread
  if (failure) throw failure;
  return result;
};
post('Profiler.enable');
post('Profiler.startPreciseCoverage', { callCount: true, detailed: true });
const BATCH = 32;

const seen = new Set<string>();
const reported = new Set<string>();
let running: Buffer = Buffer.alloc(0);
process.on('unhandledRejection', (reason) => report('unhandled', reason, running));

function report(kind: Finding['kind'], error: unknown, bytes: Buffer): void {
  const message = error instanceof Error ? `${error.name}: ${error.message}\n${error.stack?.split('\n').slice(1, 4).join('\n')}` : String(error);
  // One finding per place: the error type and its first frames, whatever the message says.
  const key = error instanceof Error ? `${kind} ${error.name} ${error.stack?.split('\n').slice(1, 3).join(' ')}` : `${kind} ${message}`;
  if (reported.has(key)) return;
  reported.add(key);
  parentPort!.postMessage({ finding: { kind, message, input: bytes } satisfies Finding });
}

// V8 lists a nested block only where its count differs from the block around it, so one run that
// takes a branch lists no range for it while a batch may. A block is therefore a range listed in
// any report so far, and it is reached when the innermost range around it in this report has a
// count above zero.
const knownBlocks = new Map<string, Array<{ start: number; end: number; key: string }>>();

/** The known blocks of the covered files reached since the last call. */
function reachedBlocks(): string[] {
  const reached: string[] = [];
  for (const script of post('Profiler.takePreciseCoverage').result) {
    if (!target.cover.some((part) => script.url.includes(part))) continue;
    const ranges: Array<{ startOffset: number; endOffset: number; count: number }> = script.functions.flatMap((fn: { ranges: unknown[] }) => fn.ranges);
    let blocks = knownBlocks.get(script.url);
    if (!blocks) knownBlocks.set(script.url, (blocks = []));
    const keys = new Set(blocks.map((b) => b.key));
    for (const range of ranges) {
      const key = `${script.url}:${range.startOffset}:${range.endOffset}`;
      if (!keys.has(key)) { keys.add(key); blocks.push({ start: range.startOffset, end: range.endOffset, key }); }
    }
    for (const block of blocks) {
      let innermost: { startOffset: number; endOffset: number; count: number } | undefined;
      for (const range of ranges) {
        if (range.startOffset <= block.start && range.endOffset >= block.end && (!innermost || range.endOffset - range.startOffset <= innermost.endOffset - innermost.startOffset)) innermost = range;
      }
      if (innermost && innermost.count > 0) reached.push(block.key);
    }
  }
  return reached;
}

async function execute(bytes: Buffer): Promise<void> {
  running = bytes;
  current.set(bytes.subarray(0, current.length));
  counters[1] = bytes.length;
  Atomics.add(counters, 0, 1);
  try {
    await target.run(bytes, input.workDir);
  } catch (error) {
    if (!target.allowed(error)) report('exception', error, bytes);
  }
}

/** Runs `batch`; returns the inputs of it that reached blocks never reached before, and records those blocks. */
async function runBatch(batch: Buffer[]): Promise<Buffer[]> {
  for (const bytes of batch) await execute(bytes);
  if (reachedBlocks().every((block) => seen.has(block))) return [];
  const interesting: Buffer[] = [];
  for (const bytes of batch) {
    await execute(bytes);
    let added = false;
    for (const block of reachedBlocks()) if (!seen.has(block)) { seen.add(block); added = true; }
    if (added) interesting.push(bytes);
  }
  return interesting;
}

const random = seededRandom(input.seed);
const corpus: Buffer[] = [];
const seedFiles = readdirSync(target.corpusDir).filter((f) => !f.startsWith('.') && f !== 'README.md').sort();
for (const file of seedFiles) corpus.push(readFileSync(join(target.corpusDir, file)));
reachedBlocks(); // what loading the modules reached is not the inputs' doing
for (const bytes of corpus) await runBatch([bytes]);
if (corpus.length === 0) corpus.push(Buffer.alloc(0));
const sources = { corpus, dictionary: (target.dictionary ?? []).map((t) => Buffer.from(t, 'latin1')), maxBytes: target.maxBytes };
const newInputs: Buffer[] = [];
const deadline = performance.now() + input.seconds * 1000;
let execs = 0;
while (execs < input.execs && performance.now() < deadline) {
  const batch: Buffer[] = [];
  for (; batch.length < BATCH && execs < input.execs; execs++) batch.push(mutate(corpus[Math.floor(random() * corpus.length)]!, sources, random));
  const interesting = await runBatch(batch);
  corpus.push(...interesting);
  newInputs.push(...interesting);
}
parentPort!.postMessage({ result: { execs, corpusSize: corpus.length, features: seen.size, seeds: seedFiles.length, newInputs } satisfies WorkerResult });
