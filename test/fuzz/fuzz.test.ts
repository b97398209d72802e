// seabuild's parsers of untrusted bytes under the fuzzer (targets.ts; the engine: suite.ts, run.ts).
import { describe } from 'node:test';
import { fuzzEveryTarget } from './suite.ts';

describe('fuzzing seabuild\'s parsers', async () => {
  await fuzzEveryTarget(new URL('./targets.ts', import.meta.url).href);
});
