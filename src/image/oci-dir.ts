// The image as an OCI image layout directory (image-layout.md), for `umoci unpack --image DIR:REF`
// and `skopeo inspect oci:DIR:REF`: a second consumer of the same Image value.
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { SeabuildError } from '../errors.ts';
import { temporaryPathFor, writeAtomically } from '../fs-atomic.ts';
import type { Image } from './image.ts';
import { blobPath, layoutBlobs, ociIndex, OCI_LAYOUT_FILE, REF_NAME_ANNOTATION } from './layout.ts';

/** OCI annotations.md grammar of `org.opencontainers.image.ref.name`. */
const REF_NAME = /^[A-Za-z0-9]+(?:(?:[-._:@+]|--)[A-Za-z0-9]+)*(?:\/[A-Za-z0-9]+(?:(?:[-._:@+]|--)[A-Za-z0-9]+)*)*$/;

/**
 * Writes `dir` as a layout holding this one image under `ref` (a tag such as `0.1.0`, or a full
 * reference). An existing layout at `dir` is replaced whole; any other existing directory is refused.
 */
export async function writeOciLayout(image: Image, dir: string, ref: string): Promise<void> {
  if (!REF_NAME.test(ref)) {
    throw new SeabuildError({
      code: 'IMAGE_REFERENCE_INVALID',
      message: `${JSON.stringify(ref)} is not a valid OCI ref.name`,
      fix: 'use a tag such as 0.1.0 or a reference such as docker.io/kitteh/web:0.1.0',
    });
  }
  const previous = await moveAsideExistingLayout(dir);
  try {
    await writeAtomically(dir, (temp) => writeLayoutFiles(image, temp, ref));
  } catch (error) {
    if (previous) await rename(previous, dir);
    throw error;
  }
  if (previous) await rm(previous, { recursive: true, force: true });
}

async function writeLayoutFiles(image: Image, dir: string, ref: string): Promise<void> {
  await mkdir(join(dir, 'blobs', 'sha256'), { recursive: true });
  for (const blob of layoutBlobs(image)) {
    const target = join(dir, blobPath(blob.digest));
    if ('json' in blob) await writeFile(target, blob.json.bytes);
    else await pipeline(blob.layer.open(), createWriteStream(target));
  }
  await writeFile(join(dir, 'index.json'), ociIndex(image, [{ [REF_NAME_ANNOTATION]: ref }]).bytes);
  await writeFile(join(dir, 'oci-layout'), OCI_LAYOUT_FILE.bytes);
}

/** Renames an existing layout out of the way (restored if writing fails); returns where it went. */
async function moveAsideExistingLayout(dir: string): Promise<string | undefined> {
  const exists = await stat(dir).then(() => true, () => false);
  if (!exists) return undefined;
  const isLayout = await stat(join(dir, 'oci-layout')).then(() => true, () => false);
  if (!isLayout) {
    throw new SeabuildError({
      code: 'OUTPUT_EXISTS',
      message: 'the directory exists and is not an OCI image layout; refusing to replace it',
      file: dir,
      fix: 'remove the directory or choose another path',
    });
  }
  const aside = temporaryPathFor(dir);
  await rename(dir, aside);
  return aside;
}
