// Stripping the official node binary (not stripped upstream: 126.6 MB → 108.5 MB for v24.21.0, measured),
// cached by the input's sha256 so a rebuild does not strip again.
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { execa } from 'execa';
import { SeabuildError } from '../errors.ts';
import { sha256File } from '../sha256.ts';
import { writeAtomically, writeFileAtomically } from '../fs-atomic.ts';
import type { NodeBinary } from './node-binary.ts';

/** The strip program for the binary's architecture (the host's `strip` reads only the host's). */
export interface StripTool {
  command: string;
  /** The Debian package that has it, for the error's fix. */
  package: string;
}

/**
 * A stripped copy of the node binary in the cache, and the sha256 of the original (its cache key).
 * `warn` hears about a cached copy that no longer matches the sha256 recorded beside it (a cache
 * folder truncated, half-restored or edited): it is stripped again rather than built into a broken
 * executable (postject then failed with "Could not find the sentinel", naming nothing of the cache).
 */
export async function stripNodeBinary(node: NodeBinary, cacheDir: string, warn: (message: string) => void = () => {}, tool: StripTool = { command: 'strip', package: 'binutils' }): Promise<{ path: string; sizeBytes: number; sourceSha256: string }> {
  const digest = await sha256FileCached(node.path, join(cacheDir, 'node', 'digests.json'));
  const path = join(cacheDir, 'node', `${node.version}-${digest.slice(0, 16)}-stripped`);
  const problem = await cachedCopyProblem(path);
  if (problem !== undefined) {
    if (problem !== 'missing') warn(`the cached stripped node ${path} ${problem}: stripping it again`);
    await writeAtomically(path, async (temp) => {
      const result = await execa(tool.command, ['--strip-all', '-o', temp, node.path], { reject: false, all: true });
      if (result.exitCode !== 0) {
        const missing = (result as { code?: string }).code === 'ENOENT';
        throw new SeabuildError({
          code: 'STRIP_FAILED',
          message: missing ? `${tool.command} is not installed (it strips the node binary before the blob goes in)` : `${tool.command} failed: ${result.all ?? result.shortMessage}`,
          file: node.path,
          fix: missing ? `install ${tool.package} (apt-get install ${tool.package})` : 'check that the node binary is a valid ELF file',
          cause: result,
        });
      }
    });
    await writeFileAtomically(`${path}.sha256`, `${await sha256File(path)}\n`);
  }
  return { path, sizeBytes: (await stat(path)).size, sourceSha256: digest };
}

// Hashing the 108 MB copy costs about 0.3 s of a build; building on a damaged one costs the build.
async function cachedCopyProblem(path: string): Promise<string | undefined> {
  const recorded = await readFile(`${path}.sha256`, 'utf8').then((text) => text.trim(), () => undefined);
  const actual = await sha256File(path).catch(() => undefined);
  if (actual === undefined) return 'missing';
  if (recorded === undefined) return 'missing'; // written before seabuild recorded it: strip once more, quietly
  return actual === recorded ? undefined : `has sha256 ${actual.slice(0, 16)}…, not the ${recorded.slice(0, 16)}… recorded when it was written`;
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
