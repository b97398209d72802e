// Stripping the official node binary (not stripped upstream: 126.6 MB → 108.5 MB for v24.21.0, measured),
// cached by the input's sha256 so a rebuild does not strip again.
import { createHash } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { execa } from 'execa';
import { SeabuildError } from '../errors.ts';
import { writeAtomically } from '../fs-atomic.ts';
import type { NodeBinary } from './node-binary.ts';

/** A stripped copy of the node binary in the cache, and the sha256 of the original (its cache key). */
export async function stripNodeBinary(node: NodeBinary, cacheDir: string): Promise<{ path: string; sizeBytes: number; sourceSha256: string }> {
  const digest = await sha256FileCached(node.path, join(cacheDir, 'node', 'digests.json'));
  const path = join(cacheDir, 'node', `${node.version}-${digest.slice(0, 16)}-stripped`);
  if (!existsSync(path)) {
    await writeAtomically(path, async (temp) => {
      const result = await execa('strip', ['--strip-all', '-o', temp, node.path], { reject: false, all: true });
      if (result.exitCode !== 0) {
        const missing = (result as { code?: string }).code === 'ENOENT';
        throw new SeabuildError({
          code: 'STRIP_FAILED',
          message: missing ? 'the strip command is not installed' : `strip failed: ${result.all ?? result.shortMessage}`,
          file: node.path,
          fix: missing ? 'install binutils (apt-get install binutils)' : 'check that the node binary is a valid ELF file',
          cause: result,
        });
      }
    });
  }
  return { path, sizeBytes: (await stat(path)).size, sourceSha256: digest };
}

/**
 * sha256 of a file, remembered by its device, inode, size, mtime and ctime (as git's index and make
 * trust them): the node binary is 126 MB, hashed on every build otherwise (0.5–1 s here).
 */
export async function sha256FileCached(path: string, cacheFile: string): Promise<string> {
  const info = await stat(path, { bigint: true });
  const key = `${resolve(path)}\0${info.dev}:${info.ino}:${info.size}:${info.mtimeNs}:${info.ctimeNs}`;
  let known: Record<string, string> = {};
  try { known = JSON.parse(await readFile(cacheFile, 'utf8')) as Record<string, string>; } catch { /* none yet */ }
  if (typeof known[key] === 'string') return known[key];
  const digest = await sha256File(path);
  // The 16 latest entries are kept, so the file stays small.
  const kept = Object.fromEntries(Object.entries({ ...known, [key]: digest }).slice(-16));
  await writeAtomically(cacheFile, (temp) => writeFile(temp, `${JSON.stringify(kept)}\n`)).catch(() => {});
  return digest;
}

/** sha256 of a file, streamed. */
export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
