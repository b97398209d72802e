// The one sha256 helper of the build side: lower-case hex of some bytes, or of a file read in 1 MiB
// chunks (the node binary is ~110 MB). Image digests (`sha256:<hex>`) build on it in src/image/digest.ts.
import { createHash } from 'node:crypto';
import { forEachChunk } from './file-chunks.ts';

/** sha256 of `bytes` (a string is hashed as UTF-8), lower-case hex. */
export function sha256Hex(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** sha256 of the file at `path`, streamed, lower-case hex. */
export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  await forEachChunk(path, (bytes) => { hash.update(bytes); });
  return hash.digest('hex');
}
