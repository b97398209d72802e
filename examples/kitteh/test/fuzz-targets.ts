// Kitteh's metadata strippers as fuzz targets (seabuild's engine: test/fuzz/ at the repository
// root). They read every uploaded byte before sharp does, so their contract is strict: return the
// stripped picture or undefined, never throw; and stripping what they return changes nothing more.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { FuzzTarget } from '../../../test/fuzz/target.ts';
import { stripJpegMetadata } from '../src/jpeg-strip.ts';
import { stripWebpMetadata } from '../src/webp-strip.ts';

const corpus = (name: string): string => join(import.meta.dirname, 'fuzz-corpus', name);

/** The targets by name. */
export const fuzzTargets: Record<string, FuzzTarget> = {
  'jpeg-strip': {
    cover: ['/src/jpeg-strip.ts'],
    corpusDir: corpus('jpeg-strip'),
    maxBytes: 16 * 1024,
    dictionary: ['\xff\xd8', '\xff\xd9', '\xff\xda', '\xff\xe0\x00\x10JFIF\0', '\xff\xe1', 'Exif\0\0', '\xff\xe2', 'ICC_PROFILE\0', '\xff\xee', 'Adobe', '\xff\xfe', '\xff\xd0', '\xff\x00', '\xff\xff'],
    run(input) {
      // The first byte picks the EXIF orientation (1-8 and out of range), the rest is the file.
      const orientation = input.length > 0 ? input[0]! % 10 : 1;
      const stripped = stripJpegMetadata(input.subarray(1), orientation);
      if (stripped === undefined) return;
      assert.deepEqual(stripJpegMetadata(stripped, orientation), stripped, 'stripping twice changed the output');
    },
    allowed: () => false,
  },
  'webp-strip': {
    cover: ['/src/webp-strip.ts'],
    corpusDir: corpus('webp-strip'),
    maxBytes: 16 * 1024,
    dictionary: ['RIFF', 'WEBP', 'VP8X', 'VP8 ', 'VP8L', 'ALPH', 'ICCP', 'EXIF', 'XMP ', 'ANIM', 'ANMF', '\x00\x00\x00\x00', '\xff\xff\xff\xff'],
    run(input) {
      const stripped = stripWebpMetadata(input);
      if (stripped === undefined) return;
      assert.deepEqual(stripWebpMetadata(stripped), stripped, 'stripping twice changed the output');
    },
    allowed: () => false,
  },
};
