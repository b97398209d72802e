// --push as ko does it: the image under every tag, its SBOMs attached (a refusal is a warning, the
// image stays pushed), and `--image-refs FILE` with the pushed `name@sha256:…` for the next step.
import { writeFileAtomically } from '../fs-atomic.ts';
import type { Warning } from '../errors.ts';
import { SeabuildError } from '../errors.ts';
import type { Logger } from '../log.ts';
import { attachSboms, type AttachResult, type SbomBlob } from './attach.ts';
import { imageManifestBlob, manifestMediaType, type Image } from './image.ts';
import { pushImage, registrySession, type PushOptions, type PushResult } from './push.ts';

export interface PublishInput {
  image: Image;
  /** Full references, one per tag, same repository; the first names the push. */
  references: string[];
  push: Pick<PushOptions, 'insecure' | 'credentials' | 'blobRecordPath'>;
  sboms: SbomBlob[];
  /** ISO time stamped on the SBOM artifacts (SOURCE_DATE_EPOCH). */
  created: string;
  statePath?: string;
  imageRefsPath?: string;
  logger: Logger;
}

export interface Publication extends PushResult {
  /** `domain/repository@sha256:…`. */
  digestReference: string;
  attached?: AttachResult;
  warnings: Warning[];
}

/** Pushes, attaches and records; throws only when the image itself could not be pushed. */
export async function publishImage(input: PublishInput): Promise<Publication> {
  const [first, ...rest] = input.references;
  if (!first) throw new SeabuildError({ code: 'PUSH_NO_REFERENCE', message: 'nothing to push: no image reference', fix: 'set image.name' });
  const session = registrySession(first, { ...input.push, logger: input.logger });
  const extraTags = rest.map((reference) => registrySession(reference, input.push).tag);
  const pushed = await pushImage(input.image, first, { ...input.push, logger: input.logger, extraTags, ...(input.statePath ? { statePath: input.statePath } : {}) });
  const digestReference = `${session.domain}/${session.repository}@${pushed.manifestDigest}`;
  const warnings: Warning[] = [];
  let attached: AttachResult | undefined;
  if (input.sboms.length > 0) {
    try {
      const manifest = imageManifestBlob(input.image);
      attached = await attachSboms(session, { mediaType: manifestMediaType(input.image), digest: manifest.digest, size: manifest.sizeBytes }, input.sboms, input.created);
    } catch (error) {
      const cause = error as SeabuildError;
      warnings.push({ code: 'SBOM_ATTACH_FAILED', message: `the image was pushed as ${digestReference}, but its SBOM was not attached: ${cause.message}`, fix: cause.fix ?? 'check the registry logs' });
    }
  }
  if (input.imageRefsPath) await writeFileAtomically(input.imageRefsPath, `${digestReference}\n`);
  return { ...pushed, digestReference, ...(attached ? { attached } : {}), warnings };
}
