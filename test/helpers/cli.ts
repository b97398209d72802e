// Runs the seabuild CLI as a user would: a child process with Node 24.
import { execa } from 'execa';
import { node24, seabuildBin } from './fixture.ts';

/** `seabuild ARGS` in `cwd`; never throws, returns exit code and output. */
export async function runSeabuild(args: string[], options: { cwd: string; env?: Record<string, string> }) {
  return execa(node24, [seabuildBin, ...args], { cwd: options.cwd, reject: false, env: { SOURCE_DATE_EPOCH: '1700000000', ...options.env }, all: true });
}
