// Start-to-first-200 for the start-up benchmarks (bench-startup, bench-plain-startup): one process
// spawned, `/` polled every 2 ms until it answers 200, then stopped.
import { spawn } from 'node:child_process';
import { freePort, httpRequest } from '../test/helpers/http.ts';

export interface First200Options {
  /** The environment; PORT is set to a free port, which `args` also receives. */
  env: NodeJS.ProcessEnv;
  cwd?: string;
  /** Polls before giving up. */
  attempts: number;
  /** How the process is stopped once measured. */
  stopSignal: NodeJS.Signals;
  /** The port to poll when the command does not take it from PORT (a container created beforehand with it); default a free one. */
  port?: number;
}

/** Milliseconds from spawn to the first 200 on `/`. */
export async function timeToFirst200(command: string, args: (port: number) => string[], options: First200Options): Promise<number> {
  const port = options.port ?? await freePort();
  const started = performance.now();
  const child = spawn(command, args(port), { ...(options.cwd ? { cwd: options.cwd } : {}), env: { ...options.env, PORT: String(port) }, stdio: 'ignore' });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  try {
    for (let attempt = 0; attempt < options.attempts && child.exitCode === null; attempt++) {
      const ok = await httpRequest(port, '/').then((answer) => answer.status === 200, () => false);
      if (ok) return performance.now() - started;
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    throw new Error(`${command} never answered 200 on /`);
  } finally {
    child.kill(options.stopSignal);
    await exited;
  }
}

export const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
