import { randomBytes } from 'node:crypto';
import { mkdir, readdir, rename, rm, writeFile, open } from 'node:fs/promises';
import { dirname, basename, join } from 'node:path';
import { SeabuildError } from './errors.ts';
import { isAlive } from './work-dir.ts';

/**
 * A temporary sibling path of `target`, so the final rename stays on one filesystem. It carries
 * the writer's pid, so that a later build can tell a temp of a killed build from one of a build
 * still running beside it.
 */
export function temporaryPathFor(target: string): string {
  return join(dirname(target), `.${basename(target)}.tmp-${process.pid}-${randomBytes(6).toString('hex')}`);
}

// A build killed with SIGKILL (or a machine that lost power) cannot remove its temps: the next
// writer of the same target removes those whose process is gone. Those of a live process, a build
// running at the same time, are left alone.
async function removeStaleTemporaries(target: string): Promise<void> {
  const prefix = `.${basename(target)}.tmp-`;
  const names = await readdir(dirname(target)).catch(() => [] as string[]);
  for (const name of names) {
    const pid = Number(/^(\d+)-[0-9a-f]+$/.exec(name.slice(prefix.length))?.[1]);
    if (name.startsWith(prefix) && Number.isInteger(pid) && pid > 0 && !isAlive(pid)) await rm(join(dirname(target), name), { force: true, recursive: true });
  }
}

/** A fresh temporary path for `target`, in a writable folder cleared of the temporaries of dead builds. */
export async function prepareTemporary(target: string): Promise<string> {
  await ensureWritableDir(dirname(target));
  await removeStaleTemporaries(target);
  return temporaryPathFor(target);
}

/**
 * Runs `write(tempPath)` then renames the result onto `target`: a failed build never leaves a
 * half-written file at the output path (the pattern of go-containerregistry's layout.writeBlob).
 */
export async function writeAtomically<T>(target: string, write: (tempPath: string) => Promise<T>): Promise<T> {
  const temp = await prepareTemporary(target);
  try {
    const result = await write(temp);
    const handle = await open(temp, 'r');
    try { await handle.sync(); } finally { await handle.close(); }
    await rename(temp, target);
    return result;
  } catch (error) {
    await rm(temp, { force: true, recursive: true });
    throw outOfSpace(error, target) ?? error;
  }
}

/**
 * Runs `write(tempDir)` then swaps the folder in for `target`: a failed or killed build leaves the
 * previous folder whole (a folder cannot be renamed onto a non-empty one, hence the swap).
 */
export async function replaceDirAtomically(target: string, write: (tempDir: string) => Promise<void>): Promise<void> {
  const fresh = await prepareTemporary(target);
  try {
    await write(fresh);
  } catch (error) {
    await rm(fresh, { force: true, recursive: true });
    throw outOfSpace(error, target) ?? error;
  }
  const previous = temporaryPathFor(target);
  await rename(target, previous).catch((error: NodeJS.ErrnoException) => { if (error.code !== 'ENOENT') throw error; });
  await rename(fresh, target);
  await rm(previous, { force: true, recursive: true });
}

// A full disk is the user's to fix, not a seabuild bug: say which file and folder, not "internal error".
// Said while the new file is written under its temporary name: nothing is replaced yet.
export function outOfSpace(error: unknown, target: string): SeabuildError | undefined {
  const code = (error as NodeJS.ErrnoException)?.code;
  if (code !== 'ENOSPC' && code !== 'EDQUOT') return undefined;
  return new SeabuildError({
    code: 'OUTPUT_NO_SPACE',
    message: `no space left on the device (${code}) while writing ${basename(target)}; nothing was replaced`,
    file: dirname(target),
    fix: 'free space on that disk, or choose another --out-dir (SEABUILD_CACHE_DIR for the cache)',
    cause: error,
  });
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
    // mkdir -p of a path that is (or runs through) a file: its permissions are not the problem.
    if (code === 'EEXIST' || code === 'ENOTDIR') throw notADirectory(dir, cause);
    throw new SeabuildError({
      code: 'OUTPUT_NOT_WRITABLE',
      message: `cannot write to the output directory (${code})`,
      file: dir,
      fix: 'choose a writable directory with --out-dir, or fix its permissions',
      cause,
    });
  }
}

function notADirectory(dir: string, cause: unknown): SeabuildError {
  return new SeabuildError({
    code: 'OUTPUT_NOT_WRITABLE',
    message: `the output directory is a file, or lies below one (${(cause as NodeJS.ErrnoException).code})`,
    file: dir,
    fix: 'choose a folder with --out-dir (or "outDir"), or move that file away',
    cause,
  });
}
