// Blob uploads that survive an interrupted push (distribution spec, "Pushing a blob in chunks" and
// "Resuming an upload"): the upload session's URL is kept in a state file before any byte is sent;
// a rerun asks the registry how much it already stored (GET → `Range: 0-N`) and sends only the rest.
import { createReadStream } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { writeFileAtomically } from '../fs-atomic.ts';
import { registryError, registryRequest, type RegistrySession } from './registry-http.ts';

/** The bytes of one blob: in memory, or a file (a layer's compressed blob) that can be read from an offset. */
export type BlobSource = { bytes: Buffer } | { path: string };

/** Upload sessions of unfinished blobs by digest, persisted at `path` (when given). */
export class UploadState {
  private readonly path: string | undefined;
  private readonly locations: Record<string, string>;
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
    if (!this.path) return;
    if (Object.keys(this.locations).length === 0) await rm(this.path, { force: true });
    else await writeFileAtomically(this.path, `${JSON.stringify({ uploads: this.locations }, null, 2)}\n`);
  }
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
  const key = `${session.base.host}/${session.repository}@${digest}`;
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
    if (patched.status !== 202) throw registryError('REGISTRY_PUSH_FAILED', session, `PATCH blob ${digest}`, patched, 'check the registry logs; the upload was refused');
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
