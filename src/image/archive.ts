// One tar that is both an OCI image layout and a docker-archive: `docker load` (20.10 needs the
// docker manifest.json, measured), `podman load` and `skopeo inspect oci-archive:/docker-archive:` take it.
import { SeabuildError } from '../errors.ts';
import { immediateOutputs, type OutputWriter } from '../staged-outputs.ts';
import { imageId, imageManifestBlob, type Image, type JsonBlob } from './image.ts';
import { blobPath, CONTAINERD_NAME_ANNOTATION, dockerManifest, layoutBlobs, ociIndex, OCI_LAYOUT_FILE, REF_NAME_ANNOTATION, type LayoutBlob } from './layout.ts';
import { normalizeReference } from '../image-reference.ts';
import { writeTarFile, type TarFile } from './tar-file.ts';
import type { TarMember } from './tar-header.ts';

/** What `writeImageArchive` wrote. */
export interface ImageArchive {
  path: string;
  /** `sha256:…` of the archive file itself. */
  digest: string;
  sizeBytes: number;
  /** The config digest (`docker images --no-trunc` shows it). */
  imageId: string;
  /** The manifest digest (what a registry reports). */
  manifestDigest: string;
  /** The references written, in full form. */
  references: string[];
}

/**
 * Writes the image to `path` atomically (or staged in `outputs`). `references` (at least one) are normalised to
 * `registry/name:tag`; docker takes all of them, podman and skopeo's oci-archive the first.
 */
export async function writeImageArchive(image: Image, path: string, options: { references: readonly string[]; outputs?: OutputWriter }): Promise<ImageArchive> {
  const references = [...new Set(options.references.map(normalizeReference))];
  if (references.length === 0) {
    throw new SeabuildError({ code: 'IMAGE_REFERENCE_INVALID', message: 'an image archive needs at least one reference', file: path, fix: 'name the image, e.g. kitteh/web:0.1.0' });
  }
  const written = await (options.outputs ?? immediateOutputs).write(path, (temp) => writeTarFile(temp, (tar) => addArchiveMembers(tar, image, references)));
  return { path, ...written, imageId: imageId(image), manifestDigest: imageManifestBlob(image).digest, references };
}

async function addArchiveMembers(tar: TarFile, image: Image, references: string[]): Promise<void> {
  // One index entry, named by the first reference: with two entries `skopeo inspect oci-archive:PATH`
  // refuses ("more than one image in oci, choose an image", measured with skopeo 1.9); docker reads every name from RepoTags.
  const [primary = ''] = references;
  await addLayoutMembers(tar, {
    sourceDateEpoch: image.sourceDateEpoch,
    blobs: layoutBlobs(image),
    index: ociIndex(image, [{ [CONTAINERD_NAME_ANNOTATION]: primary, [REF_NAME_ANNOTATION]: primary }]),
    dockerManifest: dockerManifest(image, references),
  });
}

/**
 * The members of an archive that is both an OCI layout and a docker-archive, in byte order of their
 * names, like the layers: blobs/ (`blobs` sorted by digest), index.json, manifest.json, oci-layout.
 * One image's archive and the index archive of several platforms differ only in what they pass.
 */
export async function addLayoutMembers(tar: TarFile, members: { sourceDateEpoch: number; blobs: readonly LayoutBlob[]; index: JsonBlob; dockerManifest: JsonBlob }): Promise<void> {
  const header = (name: string, sizeBytes: number): TarMember => ({ name, type: 'file', mode: 0o644, uid: 0, gid: 0, size: sizeBytes, mtime: members.sourceDateEpoch });
  const json = (name: string, blob: JsonBlob) => tar.add(header(name, blob.sizeBytes), blob.bytes);
  for (const dir of ['blobs/', 'blobs/sha256/']) await tar.add({ ...header(dir, 0), type: 'directory', mode: 0o755 });
  for (const blob of members.blobs) {
    const name = blobPath(blob.digest);
    if ('json' in blob) await json(name, blob.json);
    else await tar.add(header(name, blob.sizeBytes), { path: blob.layer.blobPath });
  }
  await json('index.json', members.index);
  await json('manifest.json', members.dockerManifest);
  await json('oci-layout', OCI_LAYOUT_FILE);
}
