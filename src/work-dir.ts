// The build's scratch folder under the system temp dir. A build killed with SIGKILL leaves its
// folder behind (the executable, layers and image of one build: a few hundred MB), so each folder
// is named for its build's pid and the next build removes those whose process is gone.
import { rmSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const PREFIX = 'seabuild-build-';

/** Creates this build's scratch folder after removing those of builds that died. */
export async function createWorkDir(): Promise<string> {
  const root = tmpdir();
  for (const name of await readdir(root).catch(() => [] as string[])) {
    const pid = Number(new RegExp(`^${PREFIX}(\\d+)-`).exec(name)?.[1]);
    if (Number.isInteger(pid) && pid > 0 && !isAlive(pid)) await rm(join(root, name), { recursive: true, force: true });
  }
  return mkdtemp(join(root, `${PREFIX}${process.pid}-`));
}

/** True while process `pid` exists (EPERM: it exists, owned by someone else). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Paths a build removes when it is interrupted (SIGINT/SIGTERM): its work folder and its staged outputs. */
export const removeOnInterrupt = new Set<string>();

/**
 * Until the returned function is called, SIGINT and SIGTERM remove every path of removeOnInterrupt
 * (synchronously: nothing else runs in between) and end the process with the shell's code for that
 * signal, 130 or 143, when no other listener of the signal is left to decide.
 */
export function cleanUpOnInterrupt(): () => void {
  const handler = (signal: NodeJS.Signals): void => {
    for (const path of removeOnInterrupt) rmSync(path, { recursive: true, force: true });
    removeOnInterrupt.clear();
    if (process.listenerCount(signal) === 1) process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return () => {
    process.off('SIGINT', handler);
    process.off('SIGTERM', handler);
  };
}
