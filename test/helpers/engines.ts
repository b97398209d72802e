// Real container engines for tests (docs/TESTING.md), each test file with its own: a dockerd with its
// own socket, data-root, exec-root and pidfile under a temp dir; podman with its own storage.
// Outside CI a missing tool skips with a reason; with CI=true it is a failure.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, openSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { execa } from 'execa';
import { freePort } from './http.ts';

/** What one engine command did (never throws on a non-zero exit). */
export interface CommandResult { exitCode: number | undefined; stdout: string; stderr: string }

/** The executable of `name` on PATH, or undefined. */
export function findTool(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(':')) if (dir && existsSync(join(dir, name))) return join(dir, name);
  return undefined;
}

/**
 * True when every tool is there. Otherwise: a failure under CI=true, else skips the test with the
 * reason and returns false.
 */
export function requireTools(t: TestContext, tools: string[], why = ''): boolean {
  const missing = tools.filter((tool) => !findTool(tool));
  if (missing.length === 0) return true;
  const reason = `${missing.join(', ')} not installed${why ? ` (${why})` : ''}; see docs/TESTING.md`;
  if (process.env.CI === 'true') throw new Error(reason);
  t.skip(reason);
  return false;
}

/** True when running as root; otherwise the same CI rule as `requireTools`. */
export function requireRoot(t: TestContext, why: string): boolean {
  if (process.getuid?.() === 0) return true;
  if (process.env.CI === 'true') throw new Error(`needs root: ${why}`);
  t.skip(`needs root: ${why}`);
  return false;
}

/** A private dockerd. */
export interface Dockerd {
  /** DOCKER_HOST of this daemon (unix://…), for a client run another way (with stdin, say). */
  host: string;
  /** `docker ARGS` against this daemon. */
  docker(args: string[], options?: { timeoutMs?: number }): Promise<CommandResult>;
  stop(): Promise<void>;
}

/** Starts dockerd 20.10 as docs/TESTING.md says (no bridge, no iptables, vfs) under a fresh temp dir. */
export async function startDockerd(): Promise<Dockerd> {
  const dir = await mkdtemp(join(tmpdir(), 'seabuild-dockerd-'));
  const host = `unix://${join(dir, 'docker.sock')}`;
  const log = openSync(join(dir, 'dockerd.log'), 'a');
  const daemon = spawn('dockerd', [
    '--iptables=false', '--ip6tables=false', '--bridge=none', '--storage-driver=vfs',
    '--host', host, '--data-root', join(dir, 'data'), '--exec-root', join(dir, 'exec'), '--pidfile', join(dir, 'docker.pid'),
  ], { stdio: ['ignore', log, log] });
  const exited = new Promise<void>((resolve) => daemon.once('exit', () => resolve()));
  // The 20.10 client matches the daemon; a newer client on PATH negotiates down to API 1.41.
  const client = existsSync('/usr/bin/docker') ? '/usr/bin/docker' : 'docker';
  const docker = (args: string[], options: { timeoutMs?: number } = {}) => run(client, args, { DOCKER_HOST: host }, options.timeoutMs);
  const stop = async () => {
    await stopProcess(daemon, exited);
    await removeTempDir(dir);
  };
  for (let attempt = 0; attempt < 60; attempt++) {
    if ((await docker(['info'])).exitCode === 0) return { host, docker, stop };
    if (daemon.exitCode !== null) break;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  const output = readFileSync(join(dir, 'dockerd.log'), 'utf8');
  await stop();
  throw new Error(`dockerd did not start:\n${output.slice(-2000)}`);
}

/** Podman with storage of its own under a temp dir, and the containers.conf this machine needs. */
export interface Podman {
  podman(args: string[], options?: { timeoutMs?: number }): Promise<CommandResult>;
  remove(): Promise<void>;
}

/** Prepares podman 4.3: runc instead of crun and no default ulimits (docs/TESTING.md), via CONTAINERS_CONF. */
export async function createPodman(): Promise<Podman> {
  const dir = await mkdtemp(join(tmpdir(), 'seabuild-podman-'));
  const conf = join(dir, 'containers.conf');
  await writeFile(conf, '[containers]\ndefault_ulimits = []\n[engine]\nruntime = "runc"\n');
  const storage = ['--root', join(dir, 'root'), '--runroot', join(dir, 'run'), '--storage-driver', 'vfs'];
  return {
    podman: (args, options = {}) => run('podman', [...storage, ...args], { CONTAINERS_CONF: conf }, options.timeoutMs),
    remove: () => removeTempDir(dir),
  };
}

/** A private registry (distribution 2.8, package docker-registry) on 127.0.0.1. */
export interface Registry {
  /** `127.0.0.1:PORT`. */
  address: string;
  stop(): Promise<void>;
}

/** Starts `docker-registry serve` with its own config and storage; `htpasswd` turns on Basic auth. */
export async function startRegistry(options: { htpasswd?: { username: string; password: string }; readOnly?: boolean } = {}): Promise<Registry> {
  const dir = await mkdtemp(join(tmpdir(), 'seabuild-registry-'));
  const address = `127.0.0.1:${await freePort()}`;
  let auth = '';
  if (options.htpasswd) {
    const entry = await run('htpasswd', ['-Bbn', options.htpasswd.username, options.htpasswd.password]);
    await writeFile(join(dir, 'htpasswd'), entry.stdout);
    auth = `auth: { htpasswd: { realm: test, path: ${join(dir, 'htpasswd')} } }\n`;
  }
  // Never the packaged config: it listens on every interface (docs/TESTING.md).
  const config = join(dir, 'config.yml');
  await writeFile(config, `version: 0.1\nstorage: { filesystem: { rootdirectory: ${join(dir, 'data')} }, delete: { enabled: true }${options.readOnly ? ', maintenance: { readonly: { enabled: true } }' : ''} }\nhttp: { addr: ${address} }\n${auth}log: { level: warn }\n`);
  const log = openSync(join(dir, 'registry.log'), 'a');
  const registry = spawn('docker-registry', ['serve', config], { stdio: ['ignore', log, log] });
  const exited = new Promise<void>((resolve) => registry.once('exit', () => resolve()));
  const stop = async () => {
    await stopProcess(registry, exited);
    await removeTempDir(dir);
  };
  for (let attempt = 0; attempt < 50; attempt++) {
    const answer = await fetch(`http://${address}/v2/`).catch(() => undefined);
    if (answer && (answer.status === 200 || answer.status === 401)) return { address, stop };
    if (registry.exitCode !== null) break;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const output = readFileSync(join(dir, 'registry.log'), 'utf8');
  await stop();
  throw new Error(`docker-registry did not start:\n${output.slice(-2000)}`);
}

/** Runs a command with extra environment; collects output, never throws on exit status. */
export async function run(command: string, args: string[], env: Record<string, string> = {}, timeoutMs = 120_000): Promise<CommandResult> {
  const result = await execa(command, args, { env, reject: false, timeout: timeoutMs, stdin: 'ignore' });
  return { exitCode: result.exitCode, stdout: String(result.stdout), stderr: String(result.stderr) };
}

async function stopProcess(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}

/** Removes a temp dir after unmounting anything an engine left mounted below it. */
async function removeTempDir(dir: string): Promise<void> {
  const mounts = readFileSync('/proc/self/mounts', 'utf8').split('\n').map((line) => line.split(' ')[1] ?? '')
    .filter((mountPoint) => mountPoint.startsWith(`${dir}/`)).reverse();
  for (const mountPoint of mounts) await run('umount', ['-l', mountPoint]);
  await rm(dir, { recursive: true, force: true });
}
