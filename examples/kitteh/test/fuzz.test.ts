// Kitteh's metadata strippers under seabuild's fuzzer (test/fuzz/ at the repository root).
import { describe } from 'node:test';
import { fuzzEveryTarget } from '../../../test/fuzz/suite.ts';

describe('fuzzing kitteh\'s metadata strippers', async () => {
  await fuzzEveryTarget(new URL('./fuzz-targets.ts', import.meta.url).href);
});
