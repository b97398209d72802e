// File hashes for the SBOMs: SPDX 2.3 requires a SHA1 for every file (clause 8.4), consumers match
// on SHA256; both are computed in one streaming pass, or SHA1 alone where the build already has the
// file's SHA256 (the executable, the libraries): the executable is >100 MB.
import { createHash } from 'node:crypto';
import { forEachChunk } from '../file-chunks.ts';

/** Lower-case hex digests of one file. */
export interface FileHashes { sha1: string; sha256: string }

/** Hashes a file on the build host without reading it whole; `knownSha256` is taken instead of computed. */
export async function hashFile(path: string, knownSha256?: string): Promise<FileHashes> {
  const sha1 = createHash('sha1');
  const sha256 = knownSha256 === undefined ? createHash('sha256') : undefined;
  await forEachChunk(path, (bytes) => { sha1.update(bytes); sha256?.update(bytes); });
  return { sha1: sha1.digest('hex'), sha256: knownSha256 ?? sha256!.digest('hex') };
}

/** Hashes literal bytes (files the image stage writes from memory, like /etc/passwd). */
export function hashBytes(bytes: Uint8Array): FileHashes {
  return { sha1: createHash('sha1').update(bytes).digest('hex'), sha256: createHash('sha256').update(bytes).digest('hex') };
}
