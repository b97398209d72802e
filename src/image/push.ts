// Pushes an image to a registry over the distribution API, a third consumer of the same Image value:
// each blob is skipped when the registry has it (HEAD), else uploaded (resumably, upload.ts); then
// the manifest once per tag. SBOMs are attached afterwards (attach.ts): their failure never undoes the push.
import { silentLogger, type Logger } from '../log.ts';
import { imageConfigBlob, imageManifestBlob, manifestMediaType, MEDIA_TYPES, type Image } from './image.ts';
import { layoutBlobs } from './layout.ts';
import { parseReference } from '../image-reference.ts';
import { registryError, registryRequest, type RegistrySession } from './registry-http.ts';
import { UploadState, uploadBlob, type BlobSource } from './upload.ts';

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
}

/** What the push did. */
export interface PushResult {
  /** The full reference pushed (its first tag). */
  reference: string;
  /** Every tag pushed, in order. */
  tags: string[];
  /** The manifest digest, as the registry confirmed it; `name@digest` pulls exactly this image. */
  manifestDigest: string;
  uploadedBlobs: string[];
  /** Blobs the registry already had (a rebuilt app reuses the system layer). */
  existingBlobs: string[];
  /** Blob bytes sent by this push (a resumed blob counts only what was sent now). */
  uploadedBytes: number;
}

/** The session for a reference's repository (docker.io means registry-1.docker.io). */
export function registrySession(reference: string, options: Pick<PushOptions, 'insecure' | 'credentials'>): RegistrySession & { domain: string; tag: string } {
  const { domain, repository, tag } = parseReference(reference);
  const host = domain === 'docker.io' ? 'registry-1.docker.io' : domain;
  return { base: new URL(`${options.insecure ? 'http' : 'https'}://${host}`), repository, domain, tag, ...(options.credentials ? { credentials: options.credentials } : {}) };
}

/** Pushes `image` as `reference` (normalised like docker does), plus `extraTags`. */
export async function pushImage(image: Image, reference: string, options: PushOptions = {}): Promise<PushResult> {
  const session = registrySession(reference, options);
  const { domain, repository, tag } = session;
  const logger = options.logger ?? silentLogger;
  const manifest = imageManifestBlob(image);
  const tags = [...new Set([tag, ...(options.extraTags ?? [])])];
  const result: PushResult = { reference: `${domain}/${repository}:${tag}`, tags, manifestDigest: manifest.digest, uploadedBlobs: [], existingBlobs: [], uploadedBytes: 0 };
  const state = await UploadState.load(options.statePath);
  for (const blob of layoutBlobs(image).filter((each) => each.digest !== manifest.digest)) {
    if (await hasBlob(session, blob.digest)) { result.existingBlobs.push(blob.digest); continue; }
    logger.info(`pushing ${blob.digest.slice(0, 19)} (${blob.sizeBytes} bytes)`);
    const source: BlobSource = 'json' in blob ? { bytes: blob.json.bytes } : { path: blob.layer.blobPath };
    result.uploadedBytes += await uploadBlob(session, blob.digest, source, blob.sizeBytes, state, options.chunkBytes);
    result.uploadedBlobs.push(blob.digest);
  }
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

export async function hasBlob(session: RegistrySession, digest: string): Promise<boolean> {
  const answer = await registryRequest(session, 'HEAD', `/v2/${session.repository}/blobs/${digest}`);
  return answer.status === 200;
}

