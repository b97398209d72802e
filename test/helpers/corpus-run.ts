// Runs one corpus program (plain node, the executable, or a container) and records what it answers,
// in a form two runs can be compared with assert.deepEqual: HTTP status, headers and body bytes of
// each request; stdout, stderr and exit code of a command line.
import { spawn } from 'node:child_process';
import { execa } from 'execa';
import type { CorpusRequest } from '../corpus/entries.ts';
import { httpRequest } from './http.ts';

/** The environment of every run: nothing inherited that changes a program's output. */
export function runEnv(extra: Record<string, string> = {}): Record<string, string> {
  return { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/root', LANG: 'C.UTF-8', ...extra };
}

/** One request's answer: everything but `date` and the request's `ignoreHeaders`. */
export interface RecordedAnswer {
  request: string;
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Sends every request in order (one connection each) and records the answers. */
export async function askAll(port: number, requests: CorpusRequest[]): Promise<RecordedAnswer[]> {
  const answers: RecordedAnswer[] = [];
  for (const request of requests) {
    const answer = await httpRequest(port, request.path, { method: request.method, headers: request.headers });
    const ignored = new Set(['date', ...(request.ignoreHeaders ?? [])]);
    const headers = Object.fromEntries(Object.entries(answer.headers)
      .filter(([name]) => !ignored.has(name))
      .map(([name, value]) => [name, Array.isArray(value) ? value.join('\n') : String(value)])
      .sort(([a], [b]) => a!.localeCompare(b!)));
    const text = answer.body.toString('utf8');
    const body = Buffer.from(text, 'utf8').equals(answer.body) ? text : `base64:${answer.body.toString('base64')}`;
    answers.push({ request: `${request.method ?? 'GET'} ${request.path}`, status: answer.status, headers, body });
  }
  return answers;
}

/** Polls until something answers HTTP on 127.0.0.1:port (any status), or `alive()` turns false. */
export async function waitForHttp(port: number, alive: () => boolean, timeoutMs: number, describe: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!alive()) throw new Error(`exited before answering HTTP on port ${port}:\n${describe()}`);
    const answered = await httpRequest(port, '/', { method: 'HEAD' }).then(() => true, () => false);
    if (answered) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`no HTTP answer on port ${port} within ${timeoutMs} ms:\n${describe()}`);
}

/** How a process ended. */
export interface Ended { code: number | null; signal: NodeJS.Signals | null; output: string }

/** A started service; `terminate()` sends SIGTERM and waits for the exit. */
export interface RunningService { output: () => string; terminate: () => Promise<Ended> }

/** Starts `command args` in `cwd` and waits for its first HTTP answer on `port`. */
export async function startService(command: string, args: string[], options: { cwd: string; env: Record<string, string>; port: number }): Promise<RunningService> {
  // Its own process group: whatever it started and left behind is killed with the group once it has
  // exited (an executable that re-ran itself for each child process once filled the machine).
  const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => { output += chunk.toString(); });
  child.stderr.on('data', (chunk: Buffer) => { output += chunk.toString(); });
  // On exit, not close: a process left behind keeps the pipes open, and close waits for them.
  child.on('exit', () => { try { process.kill(-child.pid!, 'SIGKILL'); } catch { /* ESRCH: nothing was left */ } });
  const ended = new Promise<Ended>((resolve) => child.on('close', (code, signal) => resolve({ code, signal, output })));
  const terminate = async (): Promise<Ended> => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    const killer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    const result = await ended;
    clearTimeout(killer);
    return result;
  };
  try {
    await waitForHttp(options.port, () => child.exitCode === null && child.signalCode === null, 30_000, () => `${command} ${args.join(' ')}\n${output}`);
  } catch (error) {
    await terminate();
    throw error;
  }
  return { output: () => output, terminate };
}

/** What a command line printed. */
export interface CliResult { stdout: string; stderr: string; exitCode: number | undefined }

/** Runs `command args` with `stdin` (or none), collecting everything. */
export async function runCommand(command: string, args: string[], options: { cwd: string; env: Record<string, string>; stdin?: string }): Promise<CliResult> {
  const result = await execa(command, args, {
    cwd: options.cwd, env: options.env, extendEnv: false, reject: false, timeout: 60_000, stripFinalNewline: false,
    ...(options.stdin === undefined ? { stdin: 'ignore' as const } : { input: options.stdin }),
  });
  return { stdout: String(result.stdout), stderr: String(result.stderr), exitCode: result.exitCode };
}

/**
 * A CLI result to compare. With `stackTrace`, stderr is cut before the first stack frame and
 * absolute paths are shortened to what follows their `node_modules/`: the message and exit code
 * must be the program's own, but the executable's modules live at other paths than the checkout's.
 */
export function comparableCli(result: CliResult, stackTrace = false): CliResult {
  if (!stackTrace) return result;
  const beforeFrames = result.stderr.split(/\n {4}at /)[0]!;
  return { ...result, stderr: beforeFrames.replace(/\/[^\s'"()]*\/node_modules\//g, '…/node_modules/') };
}

/** Loads an image archive into dockerd and returns the reference `docker load` printed. */
export async function dockerLoad(docker: (args: string[]) => Promise<CliResult>, archive: string): Promise<string> {
  const loaded = await docker(['load', '-i', archive]);
  const reference = /Loaded image: (\S+)/.exec(loaded.stdout)?.[1];
  if (loaded.exitCode !== 0 || !reference) throw new Error(`docker load ${archive} failed:\n${loaded.stdout}\n${loaded.stderr}`);
  return reference;
}

/** Opens a WebSocket to 127.0.0.1:port/path (Node's own client) and returns the first message it gets. */
export function firstWebSocketMessage(port: number, path: string, timeoutMs = 10_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`ws://127.0.0.1:${port}${path}`);
    const timer = setTimeout(() => { socket.close(); reject(new Error(`no WebSocket message on ${path} within ${timeoutMs} ms`)); }, timeoutMs);
    socket.addEventListener('message', (event) => { clearTimeout(timer); socket.close(); resolve(String(event.data)); });
    socket.addEventListener('error', () => { clearTimeout(timer); reject(new Error(`WebSocket ${path} failed`)); });
  });
}
