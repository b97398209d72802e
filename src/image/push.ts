// Pushes an image to a registry over the distribution API, a third consumer of the same Image value:
// the blobs several at once, each skipped, mounted or uploaded resumably (push-blobs.ts); then the
// manifest once per tag. SBOMs are attached afterwards (attach.ts): their failure never undoes the push.
import { silentLogger, type Logger } from '../log.ts';
import { imageConfigBlob, imageManifestBlob, manifestMediaType, MEDIA_TYPES, type Image } from './image.ts';
import { layoutBlobs } from './layout.ts';
import { parseReference } from '../image-reference.ts';
import { registryError, registryRequest, type RegistrySession, type RetryPolicy } from './registry-http.ts';
import { UploadState } from './upload.ts';
import { pushBlobs, type BlobPushResult } from './push-blobs.ts';

export { hasBlob } from './push-blobs.ts';

/** How to reach the registry. */
export interface PushOptions {
  /** Plain http instead of https (a registry on loopback in tests and CI). */
  insecure?: boolean;
  credentials?: { username: string; password: string };
  logger?: Logger;
  /** More tags for the same manifest (the reference's own tag is pushed first). */
  extraTags?: string[];
  /** Where unfinished uploads are remembered, so that a rerun after an interruption resumes them. */
  statePath?: string;
  /** Bytes per PATCH (default 8 MiB): what an interrupted push keeps. */
  chunkBytes?: number;
  /** Where the repositories holding each blob are remembered, so a push to another repository mounts them. */
  blobRecordPath?: string;
  /** Retries of transient failures (default: 3 tries, 1 s then 3 s apart). */
  retry?: RetryPolicy;
  /** Blobs sent at once (default 4). */
  concurrency?: number;
}

/** What the push did. */
export interface PushResult extends BlobPushResult {
  /** The full reference pushed (its first tag). */
  reference: string;
  /** Every tag pushed, in order. */
  tags: string[];
  /** The manifest digest, as the registry confirmed it; `name@digest` pulls exactly this image. */
  manifestDigest: string;
}

/** The session for a reference's repository (docker.io means registry-1.docker.io). */
export function registrySession(reference: string, options: Pick<PushOptions, 'insecure' | 'credentials' | 'retry' | 'logger'>): RegistrySession & { domain: string; tag: string } {
  const { domain, repository, tag } = parseReference(reference);
  const host = domain === 'docker.io' ? 'registry-1.docker.io' : domain;
  return {
    base: new URL(`${options.insecure ? 'http' : 'https'}://${host}`), repository, domain, tag,
    ...(options.credentials ? { credentials: options.credentials } : {}), ...(options.retry ? { retry: options.retry } : {}), ...(options.logger ? { logger: options.logger } : {}),
  };
}

/** The blob-sending options of a push. */
export function blobPushOptions(options: PushOptions, state: UploadState): Parameters<typeof pushBlobs>[2] {
  return {
    state, ...(options.logger ? { logger: options.logger } : {}), ...(options.chunkBytes ? { chunkBytes: options.chunkBytes } : {}),
    ...(options.blobRecordPath ? { blobRecordPath: options.blobRecordPath } : {}), ...(options.concurrency ? { concurrency: options.concurrency } : {}),
  };
}

/** Pushes `image` as `reference` (normalised like docker does), plus `extraTags`. */
export async function pushImage(image: Image, reference: string, options: PushOptions = {}): Promise<PushResult> {
  const session = registrySession(reference, options);
  const { domain, repository, tag } = session;
  const logger = options.logger ?? silentLogger;
  const manifest = imageManifestBlob(image);
  const tags = [...new Set([tag, ...(options.extraTags ?? [])])];
  const state = await UploadState.load(options.statePath);
  const blobs = await pushBlobs(session, layoutBlobs(image).filter((each) => each.digest !== manifest.digest), blobPushOptions(options, state));
  const result: PushResult = { reference: `${domain}/${repository}:${tag}`, tags, manifestDigest: manifest.digest, ...blobs };
  for (const each of tags) await putManifest(session, each, manifestMediaType(image), manifest.bytes, manifest.digest);
  logger.debug(`pushed ${result.reference}@${manifest.digest} (config ${imageConfigBlob(image).digest})`);
  return result;
}

/** PUT a manifest by tag or digest; checks the digest the registry stored. Returns the answer's headers. */
export async function putManifest(session: RegistrySession, tagOrDigest: string, mediaType: string, bytes: Buffer, digest: string): Promise<Record<string, string | string[] | undefined>> {
  const request = `PUT manifest ${tagOrDigest}`;
  const answer = await registryRequest(session, 'PUT', `/v2/${session.repository}/manifests/${tagOrDigest}`, { headers: { 'content-type': mediaType }, body: bytes });
  if (answer.status !== 201) throw registryError('REGISTRY_PUSH_FAILED', session, request, answer, 'check that the registry accepts OCI manifests and that you may push to this repository');
  const confirmed = answer.headers['docker-content-digest'];
  if (confirmed !== undefined && confirmed !== digest) {
    throw registryError('REGISTRY_PUSH_FAILED', session, `${request}: the registry stored ${String(confirmed)}, we sent ${digest}`, answer, 'the registry rewrote the manifest; push to a registry that stores manifests as sent');
  }
  return answer.headers;
}
