// Pushes an image to a registry over the distribution API, a third consumer of the same Image value:
// each blob is skipped when the registry has it (HEAD), else uploaded in one PUT; then the manifest.
import type { Readable } from 'node:stream';
import { silentLogger, type Logger } from '../log.ts';
import { imageConfigBlob, imageManifestBlob, MEDIA_TYPES, type Image } from './image.ts';
import { layoutBlobs } from './layout.ts';
import { parseReference } from './reference.ts';
import { registryError, registryRequest, type RegistrySession } from './registry-http.ts';

/** How to reach the registry. */
export interface PushOptions {
  /** Plain http instead of https (a registry on loopback in tests and CI). */
  insecure?: boolean;
  credentials?: { username: string; password: string };
  logger?: Logger;
}

/** What the push did. */
export interface PushResult {
  /** The full reference pushed. */
  reference: string;
  /** The manifest digest, as the registry confirmed it; `name@digest` pulls exactly this image. */
  manifestDigest: string;
  uploadedBlobs: string[];
  /** Blobs the registry already had (a rebuilt app reuses the system layer). */
  existingBlobs: string[];
}

/** Pushes `image` as `reference` (normalised like docker does; docker.io means registry-1.docker.io). */
export async function pushImage(image: Image, reference: string, options: PushOptions = {}): Promise<PushResult> {
  const { domain, repository, tag } = parseReference(reference);
  const full = `${domain}/${repository}:${tag}`;
  const host = domain === 'docker.io' ? 'registry-1.docker.io' : domain;
  const session: RegistrySession = { base: new URL(`${options.insecure ? 'http' : 'https'}://${host}`), repository, ...(options.credentials ? { credentials: options.credentials } : {}) };
  const logger = options.logger ?? silentLogger;
  const manifest = imageManifestBlob(image);
  const result: PushResult = { reference: full, manifestDigest: manifest.digest, uploadedBlobs: [], existingBlobs: [] };
  for (const blob of layoutBlobs(image).filter((each) => each.digest !== manifest.digest)) {
    if (await hasBlob(session, blob.digest)) { result.existingBlobs.push(blob.digest); continue; }
    logger.info(`pushing ${blob.digest.slice(0, 19)} (${blob.sizeBytes} bytes)`);
    const body = 'json' in blob ? blob.json.bytes : blob.layer.open;
    await uploadBlob(session, blob.digest, body, blob.sizeBytes);
    result.uploadedBlobs.push(blob.digest);
  }
  const request = `PUT manifest ${tag}`;
  const answer = await registryRequest(session, 'PUT', `/v2/${repository}/manifests/${tag}`, { headers: { 'content-type': MEDIA_TYPES.manifest }, body: manifest.bytes });
  if (answer.status !== 201) throw registryError('REGISTRY_PUSH_FAILED', session, request, answer, 'check that the registry accepts OCI manifests and that you may push to this repository');
  const confirmed = answer.headers['docker-content-digest'];
  if (confirmed !== undefined && confirmed !== manifest.digest) {
    throw registryError('REGISTRY_PUSH_FAILED', session, `${request}: the registry stored ${String(confirmed)}, we sent ${manifest.digest}`, answer, 'the registry rewrote the manifest; push to a registry that stores manifests as sent');
  }
  logger.debug(`pushed ${full}@${manifest.digest} (config ${imageConfigBlob(image).digest})`);
  return result;
}

export async function hasBlob(session: RegistrySession, digest: string): Promise<boolean> {
  const answer = await registryRequest(session, 'HEAD', `/v2/${session.repository}/blobs/${digest}`);
  return answer.status === 200;
}

/** distribution spec (also used by push-index.ts): POST opens an upload session, one PUT with `?digest=` completes it ("monolithic"). */
export async function uploadBlob(session: RegistrySession, digest: string, body: Buffer | (() => Readable), sizeBytes: number): Promise<void> {
  const opened = await registryRequest(session, 'POST', `/v2/${session.repository}/blobs/uploads/`);
  const location = opened.headers.location;
  if (opened.status !== 202 || !location) throw registryError('REGISTRY_PUSH_FAILED', session, 'POST blob upload', opened, 'check that you may push to this repository');
  const url = new URL(location, session.base);
  url.searchParams.set('digest', digest);
  const done = await registryRequest(session, 'PUT', url, { headers: { 'content-type': 'application/octet-stream' }, body, sizeBytes });
  if (done.status !== 201) throw registryError('REGISTRY_PUSH_FAILED', session, `PUT blob ${digest}`, done, 'check the registry logs; the upload was refused');
}
