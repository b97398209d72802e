// The image of several platforms: an OCI image index (image-index.md) listing each platform's
// manifest, written as one tar that is an OCI layout with every platform's blobs and the index, and
// — because a docker-archive can hold one image per tag — a docker-archive of one platform's image:
// the build machine's when it is among them (what `docker load` here can run), else the first.
// `skopeo inspect --raw oci-archive:PATH` shows the index; `skopeo copy --all` copies every platform.
import { immediateOutputs, type OutputWriter } from '../staged-outputs.ts';
import { jsonBlob, manifestDescriptor, MEDIA_TYPES, type Image, type JsonBlob } from './image.ts';
import { CONTAINERD_NAME_ANNOTATION, dockerManifest, layoutBlobs, REF_NAME_ANNOTATION, type LayoutBlob } from './layout.ts';
import { addLayoutMembers } from './archive.ts';
import { normalizeReference } from '../image-reference.ts';
import { writeTarFile, type TarFile } from './tar-file.ts';
import { byteOrder } from '../order.ts';

/** What `writeIndexArchive` wrote. */
export interface IndexArchive {
  path: string;
  /** `sha256:…` of the archive file. */
  digest: string;
  sizeBytes: number;
  /** The image index's digest: what a registry reports for the tag after `--push`. */
  indexDigest: string;
  /** Each platform's manifest digest, in index order. */
  manifests: Array<{ platform: string; digest: string }>;
  /** The platform whose image the docker-archive part holds (`docker load`). */
  dockerPlatform: string;
  /** Bytes of every distinct blob (layers shared between platforms counted once): the index's total. */
  totalBlobBytes: number;
  references: string[];
}

/** image-index.md: one descriptor (with its platform) per image. */
export function imageIndexBlob(images: readonly Image[]): JsonBlob {
  return jsonBlob({ schemaVersion: 2, mediaType: MEDIA_TYPES.index, manifests: images.map((image) => manifestDescriptor(image)) });
}

/** Every blob of every image once, sorted by digest. */
export function indexBlobs(images: readonly Image[]): LayoutBlob[] {
  const blobs = new Map<string, LayoutBlob>();
  for (const blob of images.flatMap((image) => layoutBlobs(image))) blobs.set(blob.digest, blob);
  return [...blobs.values()].sort((a, b) => byteOrder(a.digest, b.digest));
}

/** Writes the images of several platforms to `path` atomically; `dockerImage` is the one docker load gets. */
export async function writeIndexArchive(images: readonly Image[], path: string, options: { references: readonly string[]; dockerImage: Image; outputs?: OutputWriter }): Promise<IndexArchive> {
  const references = [...new Set(options.references.map(normalizeReference))];
  const index = imageIndexBlob(images);
  const blobs = indexBlobs(images);
  const written = await (options.outputs ?? immediateOutputs).write(path, (temp) => writeTarFile(temp, (tar) => addMembers(tar, images, blobs, index, references, options.dockerImage)));
  const name = (image: Image): string => `${image.platform.os}/${image.platform.architecture}`;
  return {
    path, ...written, indexDigest: index.digest, references,
    manifests: images.map((image) => ({ platform: name(image), digest: manifestDescriptor(image).digest })),
    dockerPlatform: name(options.dockerImage),
    totalBlobBytes: blobs.reduce((n, blob) => n + blob.sizeBytes, 0) + index.sizeBytes,
  };
}

async function addMembers(tar: TarFile, images: readonly Image[], blobs: LayoutBlob[], index: JsonBlob, references: string[], dockerImage: Image): Promise<void> {
  // index.json names the image index (a nested index, as image-layout.md allows), by the first reference.
  const [primary = ''] = references;
  await addLayoutMembers(tar, {
    sourceDateEpoch: images[0]?.sourceDateEpoch ?? 0,
    blobs: [...blobs, { digest: index.digest, sizeBytes: index.sizeBytes, json: index }].sort((a, b) => byteOrder(a.digest, b.digest)),
    index: jsonBlob({
      schemaVersion: 2, mediaType: MEDIA_TYPES.index,
      manifests: [{ mediaType: MEDIA_TYPES.index, digest: index.digest, size: index.sizeBytes, annotations: { [CONTAINERD_NAME_ANNOTATION]: primary, [REF_NAME_ANNOTATION]: primary } }],
    }),
    dockerManifest: dockerManifest(dockerImage, references),
  });
}
