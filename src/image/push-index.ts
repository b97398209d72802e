// Pushes the images of several platforms and their index: every distinct blob once (skipped when the
// registry has it), each platform's manifest by its digest, then the image index under the tag, so
// `docker pull`/`podman pull --arch arm64` of the tag pick their platform's manifest.
import { silentLogger } from '../log.ts';
import { imageManifestBlob, manifestMediaType, MEDIA_TYPES, type Image } from './image.ts';
import { imageIndexBlob, indexBlobs } from './index-archive.ts';
import { hasBlob, putManifest, type PushOptions } from './push.ts';
import { UploadState, uploadBlob } from './upload.ts';
import { parseReference } from '../image-reference.ts';
import type { RegistrySession } from './registry-http.ts';

/** What the index push did. */
export interface IndexPushResult {
  reference: string;
  /** The index digest, as the registry confirmed it. */
  indexDigest: string;
  manifestDigests: string[];
  uploadedBlobs: string[];
  existingBlobs: string[];
}

/** Pushes `images` and their index as `reference`. */
export async function pushImageIndex(images: readonly Image[], reference: string, options: PushOptions = {}): Promise<IndexPushResult> {
  const { domain, repository, tag } = parseReference(reference);
  const host = domain === 'docker.io' ? 'registry-1.docker.io' : domain;
  const session: RegistrySession = { base: new URL(`${options.insecure ? 'http' : 'https'}://${host}`), repository, ...(options.credentials ? { credentials: options.credentials } : {}) };
  const logger = options.logger ?? silentLogger;
  const manifests = images.map((image) => imageManifestBlob(image));
  const index = imageIndexBlob(images);
  const result: IndexPushResult = { reference: `${domain}/${repository}:${tag}`, indexDigest: index.digest, manifestDigests: manifests.map((m) => m.digest), uploadedBlobs: [], existingBlobs: [] };
  const manifestDigests = new Set(result.manifestDigests);
  const state = await UploadState.load(undefined);
  for (const blob of indexBlobs(images).filter((each) => !manifestDigests.has(each.digest))) {
    if (await hasBlob(session, blob.digest)) { result.existingBlobs.push(blob.digest); continue; }
    logger.info(`pushing ${blob.digest.slice(0, 19)} (${blob.sizeBytes} bytes)`);
    await uploadBlob(session, blob.digest, 'json' in blob ? { bytes: blob.json.bytes } : { path: blob.layer.blobPath }, blob.sizeBytes, state);
    result.uploadedBlobs.push(blob.digest);
  }
  for (const [i, manifest] of manifests.entries()) await putManifest(session, manifest.digest, manifestMediaType(images[i]!), manifest.bytes, manifest.digest);
  await putManifest(session, tag, MEDIA_TYPES.index, index.bytes, index.digest);
  return result;
}

