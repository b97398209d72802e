// All outputs of a build appear together or not at all. Each writer writes its new file (or folder)
// under a temporary name beside its target, so the final rename stays on one filesystem and the disk
// fills, if it fills, while nothing has been replaced; publish() then renames every one into place
// in one synchronous step (no signal handler runs half way) and, when a rename fails, moves the
// ones already published back to the previous files.
import { renameSync, rmSync } from 'node:fs';
import { open, rm } from 'node:fs/promises';
import { dirname, basename } from 'node:path';
import { SeabuildError } from './errors.ts';
import { outOfSpace, prepareTemporary, replaceDirAtomically, temporaryPathFor, writeAtomically } from './fs-atomic.ts';
import { removeOnInterrupt } from './work-dir.ts';

/** Where a stage writes an output: at once (writeAtomically) or staged for publish(). */
export interface OutputWriter {
  /** Writes a file: `write(temp)` fills the temporary path. */
  write<T>(target: string, write: (tempPath: string) => Promise<T>): Promise<T>;
  /** Writes a folder: `write(tempDir)` creates and fills the temporary folder. */
  replaceDir(target: string, write: (tempDir: string) => Promise<void>): Promise<void>;
}

/** Each output is renamed into place as soon as it is written (a command that writes one file). */
export const immediateOutputs: OutputWriter = { write: writeAtomically, replaceDir: replaceDirAtomically };

/** The outputs of one build, staged beside their targets until publish(). */
export class StagedOutputs implements OutputWriter {
  private readonly staged = new Map<string, string>();

  async write<T>(target: string, write: (tempPath: string) => Promise<T>): Promise<T> {
    const temp = await this.stage(target);
    try {
      const result = await write(temp);
      const handle = await open(temp, 'r');
      try { await handle.sync(); } finally { await handle.close(); }
      return result;
    } catch (error) {
      await this.unstage(target);
      throw outOfSpace(error, target) ?? error;
    }
  }

  async replaceDir(target: string, write: (tempDir: string) => Promise<void>): Promise<void> {
    await this.stage(target);
    try {
      await write(this.staged.get(target)!);
    } catch (error) {
      await this.unstage(target);
      throw outOfSpace(error, target) ?? error;
    }
  }

  /** The paths that publish() will replace, in the order they were written. */
  targets(): string[] {
    return [...this.staged.keys()];
  }

  /**
   * Renames every staged output onto its target. When one fails, the ones already published get their
   * previous files back (or are removed when there was none) and the error says so.
   */
  publish(): void {
    const done: Array<{ target: string; previous?: string }> = [];
    for (const [target, temp] of this.staged) {
      const previous = temporaryPathFor(target);
      let moved = false;
      try {
        renameSync(target, previous);
        moved = true;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') this.fail(error, target, done);
      }
      try {
        renameSync(temp, target);
      } catch (error) {
        this.fail(error, target, moved ? [...done, { target, previous }] : done, done.length);
      }
      removeOnInterrupt.delete(temp);
      done.push(moved ? { target, previous } : { target });
    }
    for (const { previous } of done) if (previous) rmSync(previous, { recursive: true, force: true });
    this.staged.clear();
  }

  /** Rolls the published outputs back, removes the staged ones and throws what went wrong. */
  private fail(error: unknown, target: string, done: Array<{ target: string; previous?: string }>, published = done.length): never {
    const failed = rollBack(done);
    this.discard();
    throw publishError(error, target, published, failed);
  }

  /** Removes every staged output that was not published (a failed or interrupted build). */
  discard(): void {
    for (const temp of this.staged.values()) {
      rmSync(temp, { recursive: true, force: true });
      removeOnInterrupt.delete(temp);
    }
    this.staged.clear();
  }

  private async stage(target: string): Promise<string> {
    await this.unstage(target);
    const temp = await prepareTemporary(target);
    this.staged.set(target, temp);
    removeOnInterrupt.add(temp);
    return temp;
  }

  private async unstage(target: string): Promise<void> {
    const temp = this.staged.get(target);
    if (temp === undefined) return;
    this.staged.delete(target);
    await rm(temp, { recursive: true, force: true });
    removeOnInterrupt.delete(temp);
  }
}

/** Puts each published output's previous file back, newest first; returns the names it could not restore. */
function rollBack(done: Array<{ target: string; previous?: string }>): string[] {
  const kept: string[] = [];
  for (const { target, previous } of done.reverse()) {
    try {
      if (previous) renameSync(previous, target);
      else rmSync(target, { recursive: true, force: true });
    } catch {
      kept.push(basename(target));
    }
  }
  return kept;
}

function publishError(error: unknown, target: string, published: number, notRestored: string[]): SeabuildError {
  const code = (error as NodeJS.ErrnoException).code ?? 'EIO';
  const outcome = published === 0 ? 'nothing was replaced'
    : notRestored.length === 0 ? `the ${published} output${published > 1 ? 's' : ''} already in place got their previous files back`
      : `could not put back the previous ${notRestored.join(', ')}: those are this build's`;
  return new SeabuildError({
    code: 'OUTPUT_PUBLISH_FAILED',
    message: `could not put ${basename(target)} in place (${code}); ${outcome}`,
    file: dirname(target),
    fix: code === 'EISDIR' || code === 'ENOTDIR' || code === 'ENOTEMPTY' || code === 'EEXIST' ? `remove or rename ${target}: it is in the way of that output` : 'check that folder (permissions, free space), then build again',
    cause: error,
  });
}
