// Test helpers: Kitteh from source, as a child process (the real runtime: `node src/main.ts`) or in
// this process (to inject a name picker), uploads over real HTTP, and the shared image fixtures.
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import type { AssetStore } from 'seabuild/runtime';
import { startServer, type Served } from '../../../../test/helpers/http.ts';
import { serveKitteh } from '../../src/app.ts';
import type { PickIndex } from '../../src/names.ts';

const run = promisify(execFile);

/** examples/kitteh. */
export const appDir = resolve(import.meta.dirname, '../..');

/** The fixture images (from sharp's test suite; sources and licences in MANIFEST.tsv beside them). */
export const fixturesDir = process.env.KITTEH_FIXTURES ?? resolve(appDir, 'test/fixtures/images');

/** A temporary DATA_DIR/UPLOAD_DIR pair. */
export interface Dirs {
  dataDir: string;
  uploadDir: string;
  env: Record<string, string>;
  remove(): Promise<void>;
}

/** Fresh folders for one app instance. */
export async function makeDirs(): Promise<Dirs> {
  const root = await mkdtemp(join(tmpdir(), 'kitteh-test-'));
  const dataDir = join(root, 'data');
  const uploadDir = join(root, 'uploads');
  return { dataDir, uploadDir, env: { DATA_DIR: dataDir, UPLOAD_DIR: uploadDir }, remove: () => rm(root, { recursive: true, force: true }) };
}

/** Runs `kitteh ARGS` from source to completion; resolves with its output. */
export async function runKitteh(args: string[], env: Record<string, string>): Promise<{ stdout: string; stderr: string }> {
  return run(process.execPath, ['src/main.ts', ...args], { cwd: appDir, env: { ...process.env, ...env }, timeout: 60_000 });
}

/** `kitteh serve` from source, started and listening on a free port. */
export function startKitteh(env: Record<string, string>): Promise<Served> {
  return startServer(process.execPath, [join(appDir, 'src/main.ts'), 'serve'], env, 60_000);
}

/** SIGTERM, then the exit. */
export async function stopKitteh(served: Served): Promise<{ code: number | null }> {
  served.child.kill('SIGTERM');
  return served.exited;
}

/** Kitteh in this process, with a stand-in for the runtime's asset store. */
export interface InProcess {
  port: number;
  stop(): Promise<void>;
}

/** Starts `serveKitteh` in-process on 127.0.0.1 (the database must be migrated already). */
export async function startInProcess(env: Record<string, string>, pickIndex?: PickIndex): Promise<InProcess> {
  const controller = new AbortController();
  const assets: AssetStore = { url: (name) => `/assets/${name}`, handle: () => false, list: () => [] };
  const version = { name: 'kitteh', version: '0.1.0', node: process.version };
  const listener = await serveKitteh({ port: 0, host: '127.0.0.1', assets, signal: controller.signal, env: { ...process.env, ...env }, version }, pickIndex);
  const server: Server = createServer(listener);
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const port = (server.address() as { port: number }).port;
  return {
    port,
    stop: async () => {
      await new Promise((done) => server.close(done));
      server.closeAllConnections();
      controller.abort();
      // serveKitteh closes its database once idle; give that a moment to finish.
      await new Promise((done) => setTimeout(done, 200));
    },
  };
}

/** What an upload answered. */
export interface UploadAnswer {
  status: number;
  location: string | null;
  contentType: string;
  body: string;
  json(): any;
}

/** POSTs `bytes` as the form's `image` file. */
export async function upload(port: number, bytes: Uint8Array, fileName: string, accept = 'application/json'): Promise<UploadAnswer> {
  const form = new FormData();
  form.append('image', new Blob([Uint8Array.from(bytes)]), fileName);
  const res = await fetch(`http://127.0.0.1:${port}/upload`, { method: 'POST', body: form, headers: { Accept: accept }, redirect: 'manual' });
  const body = await res.text();
  return { status: res.status, location: res.headers.get('location'), contentType: res.headers.get('content-type') ?? '', body, json: () => JSON.parse(body) };
}

/** GETs a path; the body as bytes. */
export async function get(port: number, path: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Headers; bytes: Buffer }> {
  const res = await fetch(`http://127.0.0.1:${port}${path}`, { headers, redirect: 'manual' });
  return { status: res.status, headers: res.headers, bytes: Buffer.from(await res.arrayBuffer()) };
}
