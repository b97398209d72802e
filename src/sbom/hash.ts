// File hashes for the SBOMs: SPDX 2.3 requires a SHA1 for every file (clause 8.4), consumers match
// on SHA256; both are computed in one streaming pass.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';

/** Lower-case hex digests of one file. */
export interface FileHashes { sha1: string; sha256: string }

/** Hashes a file on the build host without reading it whole (the executable is >100 MB). */
export async function hashFile(path: string): Promise<FileHashes> {
  const sha1 = createHash('sha1');
  const sha256 = createHash('sha256');
  for await (const chunk of createReadStream(path)) { sha1.update(chunk as Buffer); sha256.update(chunk as Buffer); }
  return { sha1: sha1.digest('hex'), sha256: sha256.digest('hex') };
}

/** Hashes literal bytes (files the image stage writes from memory, like /etc/passwd). */
export function hashBytes(bytes: Uint8Array): FileHashes {
  return { sha1: createHash('sha1').update(bytes).digest('hex'), sha256: createHash('sha256').update(bytes).digest('hex') };
}
