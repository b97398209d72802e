// Targets with planted bugs, for the engine's own test: one three bytes deep behind branches that
// only coverage feedback leads to, and one that hangs.
import { join } from 'node:path';
import type { FuzzTarget } from '../target.ts';

const corpusDir = join(import.meta.dirname, 'planted');

export const fuzzTargets: Record<string, FuzzTarget> = {
  deep: {
    cover: ['/planted-targets.ts'],
    corpusDir,
    maxBytes: 64,
    run(input) {
      if (input[0] === 0x46) {
        if (input[1] === 0x55) {
          if (input[2] === 0x5a) throw new TypeError('planted three bytes deep');
        }
      }
    },
    allowed: () => false,
  },
  hang: {
    cover: ['/planted-targets.ts'],
    corpusDir,
    maxBytes: 64,
    run(input) {
      // eslint-disable-next-line no-empty
      if (input[1] === 0x42) for (;;) {}
    },
    allowed: () => false,
  },
};
