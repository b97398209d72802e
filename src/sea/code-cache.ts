// A reproducible V8 code cache in the SEA blob (Node's useCodeCache). Two blobs of the same bundle
// differ (measured on node 24.21: 48 bytes of a hello blob, 63 of a 10 MB one) only where V8 wrote
// string hashes, which depend on the isolate's random hash seed. With `--hash-seed=1` the blob is the
// same every build, but V8 then writes that flag into the cache header's flag hash, and a process
// started without the flag rejects the cache (measured: no faster than without one). The hashes
// themselves do not matter to the reader (an executable never runs with the seed it was built with),
// so the seeded cache gets the flag hash of a normally started node, read from a tiny reference blob
// that node makes the ordinary way. V8's SerializedCodeData header (src/snapshot/code-serializer.h):
// magic number, version hash, source hash, flag hash, … ; the magic's upper half is 0xC0DE, a byte
// pair that cannot occur in the UTF-8 of the bundle before it.
import { mkdir, open, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SeabuildError } from '../errors.ts';

/** The V8 flag that makes the cache's string hashes the same every build. */
export const REPRODUCIBLE_SEED_FLAG = '--hash-seed=1';

const FLAG_HASH_OFFSET = 12;

/** Runs `node --experimental-sea-config CONFIG` in `cwd` with extra node flags. */
export type MakeBlob = (nodeFlags: string[], configPath: string, cwd: string) => Promise<void>;

/** Gives the seeded blob at `blobPath` the flag hash a normally started node expects. */
export async function fixCodeCacheFlagHash(blobPath: string, workDir: string, makeBlob: MakeBlob): Promise<void> {
  const referenceDir = join(workDir, 'code-cache-reference');
  await mkdir(referenceDir, { recursive: true });
  await writeFile(join(referenceDir, 'main.js'), 'module.exports = 0;\n');
  await writeFile(join(referenceDir, 'sea-config.json'), JSON.stringify({ main: 'main.js', output: 'reference.blob', disableExperimentalSEAWarning: true, useSnapshot: false, useCodeCache: true }));
  await makeBlob([], join(referenceDir, 'sea-config.json'), referenceDir);
  const reference = await readFile(join(referenceDir, 'reference.blob'));
  const referenceHeader = findCacheHeader(reference, undefined);
  const blob = await readFile(blobPath);
  const header = referenceHeader === -1 ? -1 : findCacheHeader(blob, reference.subarray(referenceHeader, referenceHeader + 8));
  if (referenceHeader === -1 || header === -1) {
    throw new SeabuildError({
      code: 'CODE_CACHE_UNSUPPORTED',
      message: 'this node\'s SEA blob has no V8 code cache header where seabuild looks for it, so the code cache cannot be made reproducible',
      file: blobPath,
      fix: 'build without codeCache (the default), or with a node of version 22, 24 or 26',
    });
  }
  const file = await open(blobPath, 'r+');
  try {
    await file.write(reference.subarray(referenceHeader + FLAG_HASH_OFFSET, referenceHeader + FLAG_HASH_OFFSET + 4), 0, 4, header + FLAG_HASH_OFFSET);
  } finally {
    await file.close();
  }
}

/** Offset of the first code cache header: a u32 magic 0xC0DExxxx (little-endian), or exactly `magicAndVersion`. */
function findCacheHeader(bytes: Buffer, magicAndVersion: Buffer | undefined): number {
  if (magicAndVersion) return bytes.indexOf(magicAndVersion);
  for (let at = bytes.indexOf(0xde, 2); at !== -1; at = bytes.indexOf(0xde, at + 1)) {
    if (bytes[at + 1] === 0xc0 && at + 1 + FLAG_HASH_OFFSET + 2 < bytes.byteLength) return at - 2;
  }
  return -1;
}
