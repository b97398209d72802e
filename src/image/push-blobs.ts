// The blobs of one push (an image's, or every platform's of an index), as go-containerregistry's
// remote.Write sends them: several at once (its default is 4 jobs), each skipped when the repository
// has it (HEAD), mounted when another repository of the same registry has it (distribution spec
// "Mounting a blob from another repository"), else uploaded resumably (upload.ts).
import { readFile } from 'node:fs/promises';
import { writeFileAtomically } from '../fs-atomic.ts';
import { silentLogger, type Logger } from '../log.ts';
import type { LayoutBlob } from './layout.ts';
import { registryRequest, type RegistrySession } from './registry-http.ts';
import { UploadState, uploadBlob, uploadKey } from './upload.ts';

/** What happened to the blobs, each list in the blobs' order. */
export interface BlobPushResult {
  uploadedBlobs: string[];
  /** Blobs the repository already had (a rebuilt app reuses the system layer). */
  existingBlobs: string[];
  /** Blobs mounted from another repository of the registry: no byte sent. */
  mountedBlobs: string[];
  /** Blob bytes sent by this push (a resumed blob counts only what was sent now). */
  uploadedBytes: number;
}

export interface BlobPushOptions {
  state: UploadState;
  chunkBytes?: number;
  logger?: Logger;
  /** Where the repositories that hold each blob are remembered between pushes (mount sources). */
  blobRecordPath?: string;
  /** Blobs sent at once; default 4, go-containerregistry's default. */
  concurrency?: number;
}

export const DEFAULT_PUSH_CONCURRENCY = 4;

/** Blobs remembered per registry: a few hundred releases of a few apps. */
const MAX_RECORDED_BLOBS = 2000;

/** Sends every blob the repository lacks; returns what was uploaded, found or mounted. */
export async function pushBlobs(session: RegistrySession, blobs: readonly LayoutBlob[], options: BlobPushOptions): Promise<BlobPushResult> {
  const logger = options.logger ?? silentLogger;
  const record = await BlobRecord.load(options.blobRecordPath);
  const outcomes = await mapLimit(blobs, options.concurrency ?? DEFAULT_PUSH_CONCURRENCY, async (blob): Promise<{ how: 'existing' | 'mounted' | 'uploaded'; bytes: number }> => {
    if (await hasBlob(session, blob.digest)) return { how: 'existing', bytes: 0 };
    const from = record.repositoryWith(session, blob.digest);
    if (from && await mountBlob(session, blob.digest, from, options.state)) {
      logger.info(`mounted ${blob.digest.slice(0, 19)} from ${from}`);
      return { how: 'mounted', bytes: 0 };
    }
    logger.info(`pushing ${blob.digest.slice(0, 19)} (${blob.sizeBytes} bytes)`);
    const source = 'json' in blob ? { bytes: blob.json.bytes } : { path: blob.layer.blobPath };
    return { how: 'uploaded', bytes: await uploadBlob(session, blob.digest, source, blob.sizeBytes, options.state, options.chunkBytes) };
  });
  for (const blob of blobs) record.remember(session, blob.digest);
  await record.save();
  const digestsOf = (how: string): string[] => blobs.filter((_, i) => outcomes[i]!.how === how).map((blob) => blob.digest);
  return { uploadedBlobs: digestsOf('uploaded'), existingBlobs: digestsOf('existing'), mountedBlobs: digestsOf('mounted'), uploadedBytes: outcomes.reduce((n, o) => n + o.bytes, 0) };
}

export async function hasBlob(session: RegistrySession, digest: string): Promise<boolean> {
  const answer = await registryRequest(session, 'HEAD', `/v2/${session.repository}/blobs/${digest}`);
  return answer.status === 200;
}

/**
 * POST …/blobs/uploads/?mount=DIGEST&from=REPO: 201 is the blob mounted. A registry that cannot
 * mount (the source gone, no pull right on it) opens an upload session instead (202): it is kept in
 * `state`, so the upload that follows uses it rather than opening another.
 */
async function mountBlob(session: RegistrySession, digest: string, from: string, state: UploadState): Promise<boolean> {
  const path = `/v2/${session.repository}/blobs/uploads/?mount=${encodeURIComponent(digest)}&from=${encodeURIComponent(from)}`;
  const answer = await registryRequest(session, 'POST', path);
  if (answer.status === 201) return true;
  if (answer.status === 202 && answer.headers.location) await state.set(uploadKey(session, digest), new URL(answer.headers.location, session.base).href);
  return false;
}

/** Runs `work` on every item, at most `limit` at once; results in the items' order; the first failure rejects. */
async function mapLimit<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/**
 * Registry host → blob digest → a repository known to hold it (it was pushed or found there). A
 * hint only: a stale entry costs one mount request that falls back to the upload.
 */
class BlobRecord {
  private readonly path: string | undefined;
  private readonly hosts: Record<string, Record<string, string>>;
  private constructor(path: string | undefined, hosts: Record<string, Record<string, string>>) { this.path = path; this.hosts = hosts; }

  static async load(path: string | undefined): Promise<BlobRecord> {
    if (!path) return new BlobRecord(undefined, {});
    let hosts: Record<string, Record<string, string>> = {};
    try { hosts = JSON.parse(await readFile(path, 'utf8')) as typeof hosts; } catch { /* none yet, or torn: start empty */ }
    return new BlobRecord(path, typeof hosts === 'object' && hosts !== null ? hosts : {});
  }

  /** Another repository of this registry that holds `digest`, if one is known. */
  repositoryWith(session: RegistrySession, digest: string): string | undefined {
    const repository = this.hosts[session.base.host]?.[digest];
    return repository && repository !== session.repository ? repository : undefined;
  }

  /** The newest entries are kept last; the oldest go beyond MAX_RECORDED_BLOBS per registry. */
  remember(session: RegistrySession, digest: string): void {
    const blobs = (this.hosts[session.base.host] ??= {});
    delete blobs[digest];
    blobs[digest] = session.repository;
    const excess = Object.keys(blobs).length - MAX_RECORDED_BLOBS;
    for (const old of Object.keys(blobs).slice(0, Math.max(0, excess))) delete blobs[old];
  }

  async save(): Promise<void> {
    if (this.path) await writeFileAtomically(this.path, `${JSON.stringify(this.hosts)}\n`);
  }
}
