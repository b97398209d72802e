import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, writeFile, open } from 'node:fs/promises';
import { dirname, basename, join } from 'node:path';
import { SeabuildError } from './errors.ts';

/** A temporary sibling path of `target`, so the final rename stays on one filesystem. */
export function temporaryPathFor(target: string): string {
  return join(dirname(target), `.${basename(target)}.tmp-${randomBytes(6).toString('hex')}`);
}

/**
 * Runs `write(tempPath)` then renames the result onto `target`: a failed build never leaves a
 * half-written file at the output path (the pattern of go-containerregistry's layout.writeBlob).
 */
export async function writeAtomically<T>(target: string, write: (tempPath: string) => Promise<T>): Promise<T> {
  await ensureWritableDir(dirname(target));
  const temp = temporaryPathFor(target);
  try {
    const result = await write(temp);
    const handle = await open(temp, 'r');
    try { await handle.sync(); } finally { await handle.close(); }
    await rename(temp, target);
    return result;
  } catch (error) {
    await rm(temp, { force: true, recursive: true });
    throw error;
  }
}

/** Writes bytes atomically. */
export async function writeFileAtomically(target: string, data: string | Uint8Array, mode = 0o644): Promise<void> {
  await writeAtomically(target, (temp) => writeFile(temp, data, { mode }));
}

/** Creates `dir` or explains why it cannot be written to. */
export async function ensureWritableDir(dir: string): Promise<void> {
  try {
    await mkdir(dir, { recursive: true });
    const probe = join(dir, `.seabuild-probe-${randomBytes(4).toString('hex')}`);
    await writeFile(probe, '');
    await rm(probe);
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code ?? 'EIO';
    throw new SeabuildError({
      code: 'OUTPUT_NOT_WRITABLE',
      message: `cannot write to the output directory (${code})`,
      file: dir,
      fix: 'choose a writable directory with --out-dir, or fix its permissions',
      cause,
    });
  }
}
