// Attaches SBOMs to a pushed image the two ways tools look for them:
// - OCI 1.1 (image-spec manifest.md `subject`, distribution-spec "Listing Referrers"): an artifact
//   manifest whose `subject` is the image. A registry with the referrers API answers the PUT with
//   an `OCI-Subject` header; for one without it (distribution 2.8) the client maintains the
//   "referrers tag schema" index at `sha256-<hex>` itself, as the spec says.
// - Where the registry has no referrers API, also the tag `sha256-<hex>.sbom` that ko and cosign
//   (`cosign download sbom`) read, holding the SBOM layer with cosign's media types.
import { canonicalJson, sha256Digest } from './digest.ts';
import { MEDIA_TYPES } from './image.ts';
import { hasBlob, putManifest } from './push.ts';
import { registryRequest, type RegistrySession } from './registry-http.ts';
import { UploadState, uploadBlob } from './upload.ts';

/** One SBOM to attach. */
export interface SbomBlob { format: 'spdx' | 'cyclonedx'; mediaType: string; bytes: Buffer; fileName: string }

/** Where an SBOM went. */
export interface AttachedSbom {
  format: SbomBlob['format'];
  /** The artifact manifest's digest (`GET /v2/<name>/referrers/<image digest>` lists it). */
  manifestDigest: string;
  /** `referrers-api` when the registry indexed the subject; `referrers-tag` when seabuild wrote the tag schema. */
  via: 'referrers-api' | 'referrers-tag';
}

export interface AttachResult {
  sboms: AttachedSbom[];
  /** Tags written for tools without the referrers API: `sha256-<hex>` (index) and `sha256-<hex>.sbom`. */
  tags: string[];
}

// image-spec manifest.md "Guidance for an Empty Descriptor".
const EMPTY = { mediaType: 'application/vnd.oci.empty.v1+json', digest: 'sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a', size: 2 };
// cosign's SBOM media types (sigstore/cosign pkg/oci/static: SPDX JSON is text/spdx+json).
const COSIGN_MEDIA_TYPES: Record<SbomBlob['format'], string> = { spdx: 'text/spdx+json', cyclonedx: 'application/vnd.cyclonedx+json' };

/** Attaches `sboms` to the image `subject` (its manifest digest and size) in `session`'s repository. */
export async function attachSboms(session: RegistrySession, subject: { mediaType: string; digest: string; size: number }, sboms: SbomBlob[], created: string): Promise<AttachResult> {
  const state = await UploadState.load(undefined);
  await ensureBlob(session, EMPTY.digest, Buffer.from('{}'), state);
  const attached: AttachedSbom[] = [];
  const descriptors: Array<Record<string, unknown>> = [];
  for (const sbom of sboms) {
    const digest = sha256Digest(sbom.bytes);
    await ensureBlob(session, digest, sbom.bytes, state);
    const manifest = {
      schemaVersion: 2,
      mediaType: MEDIA_TYPES.manifest,
      artifactType: sbom.mediaType,
      config: EMPTY,
      layers: [{ mediaType: sbom.mediaType, digest, size: sbom.bytes.byteLength, annotations: { 'org.opencontainers.image.title': sbom.fileName } }],
      subject: { mediaType: subject.mediaType, digest: subject.digest, size: subject.size },
      annotations: { 'org.opencontainers.image.created': created },
    };
    const bytes = Buffer.from(canonicalJson(manifest));
    const manifestDigest = sha256Digest(bytes);
    const headers = await putManifest(session, manifestDigest, MEDIA_TYPES.manifest, bytes, manifestDigest);
    const indexed = headers['oci-subject'] === subject.digest;
    attached.push({ format: sbom.format, manifestDigest, via: indexed ? 'referrers-api' : 'referrers-tag' });
    descriptors.push({ mediaType: MEDIA_TYPES.manifest, digest: manifestDigest, size: bytes.byteLength, artifactType: sbom.mediaType, annotations: manifest.annotations });
  }
  if (attached.every((sbom) => sbom.via === 'referrers-api')) return { sboms: attached, tags: [] };
  const hexTag = `sha256-${subject.digest.slice('sha256:'.length)}`;
  await updateReferrersTag(session, hexTag, descriptors);
  await putCosignSbomTag(session, `${hexTag}.sbom`, sboms, state);
  return { sboms: attached, tags: [hexTag, `${hexTag}.sbom`] };
}

async function ensureBlob(session: RegistrySession, digest: string, bytes: Buffer, state: UploadState): Promise<void> {
  if (!(await hasBlob(session, digest))) await uploadBlob(session, digest, { bytes }, bytes.byteLength, state);
}

/** distribution-spec "Referrers Tag Schema": fetch the index at the tag (if any), add ours, put it back. */
async function updateReferrersTag(session: RegistrySession, tag: string, descriptors: Array<Record<string, unknown>>): Promise<void> {
  const existing = await registryRequest(session, 'GET', `/v2/${session.repository}/manifests/${tag}`, { headers: { accept: MEDIA_TYPES.index } });
  let manifests: Array<Record<string, unknown>> = [];
  if (existing.status === 200) {
    try { manifests = (JSON.parse(existing.body.toString('utf8')) as { manifests?: Array<Record<string, unknown>> }).manifests ?? []; } catch { manifests = []; }
  }
  const ours = new Set(descriptors.map((d) => d.digest));
  const index = { schemaVersion: 2, mediaType: MEDIA_TYPES.index, manifests: [...manifests.filter((m) => !ours.has(m.digest)), ...descriptors] };
  const bytes = Buffer.from(canonicalJson(index));
  await putManifest(session, tag, MEDIA_TYPES.index, bytes, sha256Digest(bytes));
}

/** The tag cosign and ko use: one manifest whose layers are the SBOMs, with cosign's media types. */
async function putCosignSbomTag(session: RegistrySession, tag: string, sboms: SbomBlob[], state: UploadState): Promise<void> {
  const layers = [];
  for (const sbom of sboms) {
    const digest = sha256Digest(sbom.bytes);
    await ensureBlob(session, digest, sbom.bytes, state);
    layers.push({ mediaType: COSIGN_MEDIA_TYPES[sbom.format], digest, size: sbom.bytes.byteLength });
  }
  const bytes = Buffer.from(canonicalJson({ schemaVersion: 2, mediaType: MEDIA_TYPES.manifest, config: EMPTY, layers }));
  await putManifest(session, tag, MEDIA_TYPES.manifest, bytes, sha256Digest(bytes));
}
