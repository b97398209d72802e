// Pushes the images of several platforms and their index: every distinct blob once (skipped when the
// registry has it), each platform's manifest by its digest, then the image index under the tag, so
// `docker pull`/`podman pull --arch arm64` of the tag pick their platform's manifest.
import { imageManifestBlob, manifestMediaType, MEDIA_TYPES, type Image } from './image.ts';
import { imageIndexBlob, indexBlobs } from './index-archive.ts';
import { blobPushOptions, putManifest, registrySession, type PushOptions } from './push.ts';
import { pushBlobs, type BlobPushResult } from './push-blobs.ts';
import { UploadState } from './upload.ts';

/** What the index push did. */
export interface IndexPushResult extends BlobPushResult {
  reference: string;
  /** The index digest, as the registry confirmed it. */
  indexDigest: string;
  manifestDigests: string[];
}

/** Pushes `images` and their index as `reference`; with `statePath` an interrupted push resumes as a single image's does. */
export async function pushImageIndex(images: readonly Image[], reference: string, options: PushOptions = {}): Promise<IndexPushResult> {
  const session = registrySession(reference, options);
  const { domain, repository, tag } = session;
  const manifests = images.map((image) => imageManifestBlob(image));
  const index = imageIndexBlob(images);
  const manifestDigests = manifests.map((m) => m.digest);
  const state = await UploadState.load(options.statePath);
  const blobs = await pushBlobs(session, indexBlobs(images).filter((each) => !manifestDigests.includes(each.digest)), blobPushOptions(options, state));
  for (const [i, manifest] of manifests.entries()) await putManifest(session, manifest.digest, manifestMediaType(images[i]!), manifest.bytes, manifest.digest);
  await putManifest(session, tag, MEDIA_TYPES.index, index.bytes, index.digest);
  return { reference: `${domain}/${repository}:${tag}`, indexDigest: index.digest, manifestDigests, ...blobs };
}
