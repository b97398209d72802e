// Limits shared by the tars seabuild writes: layers (layer-tar.ts) and image archives (tar-file.ts).
import { SeabuildError } from '../errors.ts';

/** Read size of a layer blob's stream (Layer.open): 1 MiB chunks instead of 64 KiB cut the garbage collector's share of a kitteh build (1.2 s of 9 s, measured). */
export const READ_CHUNK_BYTES = 1 << 20;

/** Largest epoch the headers hold: tar-stream 3 writes mtime as `(ms / 1000) | 0`, a signed 32-bit value, and tar-header.ts writes its bytes. */
const MAX_SOURCE_DATE_EPOCH = 2 ** 31 - 1;

/** Rejects a SOURCE_DATE_EPOCH that is not a whole number of seconds tar can hold. */
export function checkSourceDateEpoch(sourceDateEpoch: number): void {
  if (Number.isInteger(sourceDateEpoch) && sourceDateEpoch >= 0 && sourceDateEpoch <= MAX_SOURCE_DATE_EPOCH) return;
  throw new SeabuildError({
    code: 'SOURCE_DATE_EPOCH_INVALID',
    message: `SOURCE_DATE_EPOCH must be whole seconds between 0 and ${MAX_SOURCE_DATE_EPOCH}, got ${sourceDateEpoch}`,
    fix: 'set SOURCE_DATE_EPOCH to a Unix time in seconds, e.g. $(git log -1 --format=%ct)',
  });
}
