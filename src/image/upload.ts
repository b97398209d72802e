// Blob uploads that survive an interrupted push (distribution spec, "Pushing a blob in chunks" and
// "Resuming an upload"): the upload session's URL is kept in a state file before any byte is sent;
// a rerun asks the registry how much it already stored (GET → `Range: 0-N`) and sends only the rest.
import { createReadStream } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { writeFileAtomically } from '../fs-atomic.ts';
import { SeabuildError } from '../errors.ts';
import { registryError, registryRequest, type RegistrySession } from './registry-http.ts';

/** The bytes of one blob: in memory, or a file (a layer's compressed blob) that can be read from an offset. */
export type BlobSource = { bytes: Buffer } | { path: string };

/** Upload sessions of unfinished blobs by digest, persisted at `path` (when given). */
export class UploadState {
  private readonly path: string | undefined;
  private readonly locations: Record<string, string>;
  /** Blobs upload side by side: their writes of the file go one after another, the newest state last. */
  private written: Promise<void> = Promise.resolve();
  private constructor(path: string | undefined, locations: Record<string, string>) { this.path = path; this.locations = locations; }

  /** Reads the state a previous, interrupted push left (none: empty). */
  static async load(path: string | undefined): Promise<UploadState> {
    if (!path) return new UploadState(undefined, {});
    const text = await readFile(path, 'utf8').catch(() => '{}');
    let locations: Record<string, string> = {};
    try { locations = (JSON.parse(text) as { uploads?: Record<string, string> }).uploads ?? {}; } catch { /* a torn file: start over */ }
    return new UploadState(path, locations);
  }

  location(key: string): string | undefined { return this.locations[key]; }

  async set(key: string, location: string | undefined): Promise<void> {
    if (location === undefined) delete this.locations[key];
    else this.locations[key] = location;
    const path = this.path;
    if (!path) return;
    const write = async (): Promise<void> => {
      if (Object.keys(this.locations).length === 0) await rm(path, { force: true });
      else await writeFileAtomically(path, `${JSON.stringify({ uploads: this.locations }, null, 2)}\n`);
    };
    this.written = this.written.then(write, write);
    await this.written;
  }
}

/** Errors of a PATCH whose session the registry no longer has at the offset sent. */
const lostSessions = new WeakSet<SeabuildError>();

/** The state's key of one blob's upload session: registry, repository and digest. */
export function uploadKey(session: RegistrySession, digest: string): string {
  return `${session.base.host}/${session.repository}@${digest}`;
}

/** Bytes per PATCH: the unit of progress a rerun keeps (the session's URL is saved after each). */
export const UPLOAD_CHUNK_BYTES = 8 * 1024 * 1024;

/**
 * Uploads one blob in chunks, resuming the session `state` remembers for it; returns the bytes sent.
 * distribution 2.8 resumes only at a chunk boundary: a session whose stored size differs from its
 * last URL's offset (a cut inside a chunk) is cancelled on the next request
 * (registry/handlers/blobupload.go ResumeBlobUpload), and that blob starts over in a new session.
 */
export async function uploadBlob(session: RegistrySession, digest: string, source: BlobSource, sizeBytes: number, state: UploadState, chunkBytes = UPLOAD_CHUNK_BYTES): Promise<number> {
  try {
    return await uploadFromState(session, digest, source, sizeBytes, state, chunkBytes);
  } catch (error) {
    // A retried PATCH after a connection cut inside it: the registry kept part of the chunk (416) or
    // dropped the session (404). Ask it where the session stands (or open a new one) once more.
    if (!(error instanceof SeabuildError) || !lostSessions.has(error)) throw error;
    session.logger?.info(`registry: the upload session of ${digest.slice(0, 19)} was lost; resuming it from what the registry kept`);
    return uploadFromState(session, digest, source, sizeBytes, state, chunkBytes);
  }
}

/** The upload of one blob from where `state`'s session stands (a new session when there is none). */
async function uploadFromState(session: RegistrySession, digest: string, source: BlobSource, sizeBytes: number, state: UploadState, chunkBytes: number): Promise<number> {
  const key = uploadKey(session, digest);
  let location: string | undefined;
  let offset = 0;
  const remembered = state.location(key);
  if (remembered) {
    const status = await registryRequest(session, 'GET', remembered);
    const range = /^0-(\d+)$/.exec(String(status.headers.range ?? ''));
    // 204 with the stored range: resume there. Anything else (cancelled, expired): a new session.
    if (status.status === 204) {
      location = new URL(String(status.headers.location ?? remembered), session.base).href;
      offset = range && Number(range[1]) > 0 ? Number(range[1]) + 1 : 0;
    }
  }
  if (!location) {
    const opened = await registryRequest(session, 'POST', `/v2/${session.repository}/blobs/uploads/`);
    if (opened.status !== 202 || !opened.headers.location) throw registryError('REGISTRY_PUSH_FAILED', session, 'POST blob upload', opened, 'check that you may push to this repository');
    location = new URL(opened.headers.location, session.base).href;
  }
  await state.set(key, location);
  let sent = 0;
  while (offset < sizeBytes) {
    const end = Math.min(sizeBytes, offset + chunkBytes);
    const start = offset;
    const body = 'bytes' in source ? source.bytes.subarray(start, end) : () => createReadStream(source.path, { start, end: end - 1 }) as Readable;
    const patched = await registryRequest(session, 'PATCH', location, {
      headers: { 'content-type': 'application/octet-stream', 'content-range': `${start}-${end - 1}` },
      body, sizeBytes: end - start,
    });
    if (patched.status !== 202) {
      const error = registryError('REGISTRY_PUSH_FAILED', session, `PATCH blob ${digest}`, patched, 'check the registry logs; the upload was refused');
      if (patched.status === 404 || patched.status === 416) lostSessions.add(error);
      throw error;
    }
    sent += end - start;
    offset = end;
    if (patched.headers.location) location = new URL(patched.headers.location, session.base).href;
    await state.set(key, location);
  }
  const url = new URL(location);
  url.searchParams.set('digest', digest);
  const done = await registryRequest(session, 'PUT', url, { headers: { 'content-type': 'application/octet-stream' }, body: Buffer.alloc(0) });
  await state.set(key, undefined);
  if (done.status !== 201) throw registryError('REGISTRY_PUSH_FAILED', session, `PUT blob ${digest}`, done, 'the registry did not accept the uploaded bytes; rerun the push to start this blob again');
  return sent;
}
