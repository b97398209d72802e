// The documents of an OCI image layout (image-layout.md), shared by the archive and directory writers.
import { digestHex } from './digest.ts';
import { imageConfigBlob, imageManifestBlob, jsonBlob, manifestDescriptor, MEDIA_TYPES, type Image, type JsonBlob } from './image.ts';
import type { Layer } from './layer.ts';
import { byteOrder } from '../order.ts';

/** image-layout.md: the `oci-layout` file. */
export const OCI_LAYOUT_FILE = jsonBlob({ imageLayoutVersion: '1.0.0' });

/** A blob of the layout: JSON held in memory, or a layer streamed from its file. */
export type LayoutBlob = { digest: string; sizeBytes: number } & ({ json: JsonBlob } | { layer: Layer });

/** The `blobs/sha256/<hex>` path of a digest. */
export function blobPath(digest: string): string {
  return `blobs/sha256/${digestHex(digest)}`;
}

/** Every blob of the image once (two equal layers share one blob), sorted by digest. */
export function layoutBlobs(image: Image): LayoutBlob[] {
  const config = imageConfigBlob(image);
  const manifest = imageManifestBlob(image);
  const blobs = new Map<string, LayoutBlob>();
  for (const json of [config, manifest]) blobs.set(json.digest, { digest: json.digest, sizeBytes: json.sizeBytes, json });
  for (const layer of image.layers) blobs.set(layer.digest, { digest: layer.digest, sizeBytes: layer.sizeBytes, layer });
  return [...blobs.values()].sort((a, b) => byteOrder(a.digest, b.digest));
}

/** index.json (image-index.md): one descriptor of the image's manifest per set of annotations. */
export function ociIndex(image: Image, annotations: ReadonlyArray<Record<string, string>>): JsonBlob {
  const manifests = annotations.map((each) => manifestDescriptor(image, each));
  return jsonBlob({ schemaVersion: 2, mediaType: MEDIA_TYPES.index, manifests });
}

/** annotations.md: `org.opencontainers.image.ref.name` is the name podman and skopeo read. */
export const REF_NAME_ANNOTATION = 'org.opencontainers.image.ref.name';

/** containerd (and docker 25+ with the containerd store) reads the full image name from here. */
export const CONTAINERD_NAME_ANNOTATION = 'io.containerd.image.name';

/** Docker's `manifest.json` (docker-archive), which docker 20.10 `docker load` needs beside the OCI layout. */
export function dockerManifest(image: Image, repoTags: readonly string[]): JsonBlob {
  return jsonBlob([{
    Config: blobPath(imageConfigBlob(image).digest),
    RepoTags: repoTags,
    Layers: image.layers.map((layer) => blobPath(layer.digest)),
  }]);
}
