// Reads an image archive back and checks every claim it makes, like go-containerregistry's
// validate.Image: blob digests and sizes, layer diff_ids, and that index.json and docker's
// manifest.json describe the same image. Every image test goes through this.
import { createReadStream } from 'node:fs';
import { PassThrough, Readable, type Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import zlib from 'node:zlib';
import { SeabuildError } from '../errors.ts';
import { createHashTap, digestHex } from './digest.ts';
import { describeEntry } from './entries.ts';
import { DOCKER_MEDIA_TYPES, MEDIA_TYPES } from './image.ts';
import { blobPath, REF_NAME_ANNOTATION } from './layout.ts';
import { forEachTarMember, type TarMember } from './tar-read.ts';

/** JSON as read from the archive. */
type Json = Record<string, any>;

/** What a valid archive holds. */
export interface ValidatedImage {
  config: Json;
  manifest: Json;
  index: Json;
  /** Docker's manifest.json. */
  dockerManifest: Json[];
  /** The `org.opencontainers.image.ref.name` of each index entry. */
  references: string[];
  /** Per layer: digests, sizes and its own file list. */
  layers: Array<{ digest: string; diffId: string; mediaType: string; sizeBytes: number; uncompressedBytes: number; files: string[] }>;
  /** The union of all layers, one `describeEntry` line per path (`file 0755 0:0 /app`), sorted by path. */
  files: string[];
}

/** JSON blobs are small; a larger blob is a layer and is only hashed in the first pass. */
const MAX_JSON_BYTES = 4 * 1024 * 1024;

/** Validates the archive at `path`; throws IMAGE_INVALID listing every mismatch, both sides shown. */
export async function validateImageArchive(path: string): Promise<ValidatedImage> {
  const problems: string[] = [];
  const members = await readMembers(path, problems);
  const json = (name: string): any => parseJson(members.get(name)?.bytes, name, problems);
  const index = json('index.json') ?? {};
  const dockerManifest = json('manifest.json') ?? [];
  if (json('oci-layout')?.imageLayoutVersion !== '1.0.0') problems.push('oci-layout: imageLayoutVersion is not "1.0.0"');
  const manifestDescriptor = checkIndex(index, members, problems);
  const manifest = parseJson(blobOf(manifestDescriptor, members)?.bytes, 'manifest', problems) ?? {};
  checkDescriptor(manifest.config, 'manifest config', members, problems);
  const config = parseJson(blobOf(manifest.config, members)?.bytes, 'config', problems) ?? {};
  const layerDescriptors: Json[] = Array.isArray(manifest.layers) ? manifest.layers : [];
  layerDescriptors.forEach((layer, i) => checkDescriptor(layer, `layer ${i}`, members, problems));
  const layers = problems.length === 0 ? await readLayers(path, layerDescriptors, config, problems) : [];
  checkDockerManifest(dockerManifest, manifest, index, problems);
  checkHistory(config, layerDescriptors.length, problems);
  if (problems.length > 0) {
    throw new SeabuildError({
      code: 'IMAGE_INVALID',
      message: `invalid image archive:\n  ${problems.join('\n  ')}`,
      file: path,
      fix: 'rebuild the image; if it keeps failing, report it with this output',
    });
  }
  return { config, manifest, index, dockerManifest, references: refNames(index), layers, files: unionFiles(layers) };
}

interface Member { sizeBytes: number; digest: string; bytes?: Buffer }

/** The member a descriptor points at; none when its digest is not even a string (fuzzing found the TypeError). */
function blobOf(descriptor: Json | undefined, members: Map<string, Member>): Member | undefined {
  return typeof descriptor?.digest === 'string' ? members.get(blobPath(descriptor.digest)) : undefined;
}

/** First pass: hash every member, keep small ones, check each blob's name against its content. */
async function readMembers(path: string, problems: string[]): Promise<Map<string, Member>> {
  const members = new Map<string, Member>();
  await readArchive(path, async (header, body) => {
    if (header.type !== 'file') return;
    const tap = createHashTap();
    const chunks: Buffer[] = [];
    let kept = 0;
    await pipeline(Readable.from(body), tap.stream, async (source: AsyncIterable<Buffer>) => {
      for await (const chunk of source) if ((kept += chunk.byteLength) <= MAX_JSON_BYTES) chunks.push(chunk);
    });
    const { digest, sizeBytes } = tap.result();
    const name = header.name.replace(/^\.\//, '');
    members.set(name, { digest, sizeBytes, bytes: kept <= MAX_JSON_BYTES ? Buffer.concat(chunks) : undefined });
    if (name.startsWith('blobs/sha256/') && digestHex(digest) !== name.slice('blobs/sha256/'.length)) {
      problems.push(`${name}: named by its digest, but its content is ${digest}`);
    }
  });
  return members;
}

/** Second pass: decompress each layer, check its diff_id and list its files. */
async function readLayers(path: string, descriptors: Json[], config: Json, problems: string[]): Promise<ValidatedImage['layers']> {
  const diffIds: string[] = config.rootfs?.diff_ids ?? [];
  if (diffIds.length !== descriptors.length) problems.push(`config.rootfs.diff_ids has ${diffIds.length} entries, the manifest ${descriptors.length} layers`);
  const byName = new Map(descriptors.map((descriptor, i) => [blobPath(descriptor.digest), i]));
  const layers: ValidatedImage['layers'] = [];
  await readArchive(path, async (header, body) => {
    const i = byName.get(header.name.replace(/^\.\//, ''));
    const descriptor = i === undefined ? undefined : descriptors[i];
    if (i === undefined || descriptor === undefined) return;
    const tap = createHashTap();
    const files: string[] = [];
    await pipeline(Readable.from(body), decompressorFor(descriptor.mediaType), tap.stream, async (tarChunks: AsyncIterable<Buffer>) => {
      await forEachTarMember(tarChunks, async (member) => { files.push(describeMember(member)); });
    });
    const { digest, sizeBytes } = tap.result();
    if (digest !== diffIds[i]) problems.push(`layer ${i} diff_id: config says ${diffIds[i]}, uncompressed content is ${digest}`);
    layers[i] = { digest: descriptor.digest, diffId: digest, mediaType: descriptor.mediaType, sizeBytes: descriptor.size, uncompressedBytes: sizeBytes, files };
  });
  return layers;
}

function decompressorFor(mediaType: string): Transform {
  if (mediaType.endsWith('+gzip') || mediaType.endsWith('.tar.gzip')) return zlib.createGunzip();
  if (mediaType.endsWith('+zstd')) return zlib.createZstdDecompress();
  return new PassThrough();
}

const LAYER_MEDIA_TYPES = new Set([
  'application/vnd.oci.image.layer.v1.tar', 'application/vnd.oci.image.layer.v1.tar+gzip', 'application/vnd.oci.image.layer.v1.tar+zstd',
  'application/vnd.docker.image.rootfs.diff.tar.gzip',
]);

function checkIndex(index: Json, members: Map<string, Member>, problems: string[]): Json | undefined {
  const manifests: Json[] = Array.isArray(index.manifests) ? index.manifests : [];
  if (manifests.length === 0) problems.push('index.json: no manifests');
  manifests.forEach((descriptor, i) => checkDescriptor(descriptor, `index.json manifests[${i}]`, members, problems));
  const digests = new Set(manifests.map((descriptor) => descriptor?.digest));
  if (digests.size > 1) problems.push(`index.json: ${digests.size} different manifests; one image per archive expected`);
  if (manifests[0] && manifests[0].mediaType !== MEDIA_TYPES.manifest && manifests[0].mediaType !== DOCKER_MEDIA_TYPES.manifest) problems.push(`index.json manifests[0].mediaType: ${manifests[0].mediaType}, expected ${MEDIA_TYPES.manifest} or ${DOCKER_MEDIA_TYPES.manifest}`);
  return manifests[0];
}

function checkDescriptor(descriptor: Json | undefined, what: string, members: Map<string, Member>, problems: string[]): void {
  if (!descriptor || typeof descriptor.digest !== 'string') { problems.push(`${what}: no descriptor`); return; }
  const member = members.get(blobPath(descriptor.digest));
  if (!member) { problems.push(`${what}: blob ${descriptor.digest} is not in the archive`); return; }
  if (member.sizeBytes !== descriptor.size) problems.push(`${what} size: descriptor says ${descriptor.size}, blob has ${member.sizeBytes} bytes`);
  if (what.startsWith('layer') && !LAYER_MEDIA_TYPES.has(descriptor.mediaType)) problems.push(`${what}: unknown media type ${descriptor.mediaType}`);
}

function checkDockerManifest(dockerManifest: Json[], manifest: Json, index: Json, problems: string[]): void {
  const entry = Array.isArray(dockerManifest) && dockerManifest.length === 1 ? dockerManifest[0] : undefined;
  if (!entry) { problems.push(`manifest.json: expected one entry, found ${Array.isArray(dockerManifest) ? dockerManifest.length : 'none'}`); return; }
  const expectConfig = typeof manifest.config?.digest === 'string' ? blobPath(manifest.config.digest) : undefined;
  if (entry.Config !== expectConfig) problems.push(`manifest.json Config: ${entry.Config}, index.json's manifest says ${expectConfig}`);
  const expectLayers = asArray(manifest.layers).map((layer) => (typeof layer?.digest === 'string' ? blobPath(layer.digest) : String(layer?.digest))).join(', ');
  if (asArray(entry.Layers).join(', ') !== expectLayers) problems.push(`manifest.json Layers: [${asArray(entry.Layers).join(', ')}], index.json's manifest says [${expectLayers}]`);
  const tags = asArray(entry.RepoTags);
  const missing = refNames(index).filter((name) => !tags.includes(name));
  if (missing.length > 0) problems.push(`manifest.json RepoTags: [${tags.join(', ')}], index.json ref.name annotations: [${refNames(index).join(', ')}]`);
}

/** config.md: history entries without empty_layer correspond one to one with the layers. */
function checkHistory(config: Json, layerCount: number, problems: string[]): void {
  const history: Json[] = Array.isArray(config.history) ? config.history : [];
  const nonEmpty = history.filter((entry) => !entry?.empty_layer).length;
  if (history.length > 0 && nonEmpty !== layerCount) problems.push(`config.history: ${nonEmpty} non-empty entries for ${layerCount} layers`);
}

function refNames(index: Json): string[] {
  return asArray(index.manifests).map((descriptor) => descriptor?.annotations?.[REF_NAME_ANNOTATION]).filter((name): name is string => typeof name === 'string' && name !== '');
}

// The archive's JSON is untrusted: a field that should be a list may be anything (fuzzing found a
// TypeError from a manifest whose layers were not one).
function asArray(value: unknown): any[] {
  return Array.isArray(value) ? value : [];
}

function describeMember(header: TarMember): string {
  const types: Record<string, string> = { file: 'file', directory: 'dir', symlink: 'symlink', link: 'hardlink' };
  const path = `/${header.name.replace(/^\.?\//, '').replace(/\/$/, '')}`;
  return describeEntry({ type: types[header.type] ?? header.type, path, mode: header.mode, uid: header.uid, gid: header.gid, target: header.linkname });
}

/** Later layers replace earlier entries; `.wh.NAME` whiteouts (image-spec layer.md) remove them. */
function unionFiles(layers: ValidatedImage['layers']): string[] {
  const byPath = new Map<string, string>();
  const pathOf = (line: string) => line.slice(line.indexOf(' /') + 1).split(' -> ')[0] ?? '';
  for (const layer of layers) {
    for (const line of layer.files) {
      const path = pathOf(line);
      const base = path.slice(path.lastIndexOf('/') + 1);
      if (base.startsWith('.wh.')) byPath.delete(`${path.slice(0, path.lastIndexOf('/') + 1)}${base.slice(4)}`);
      else byPath.set(path, line);
    }
  }
  return [...byPath.entries()].sort(([a], [b]) => Buffer.compare(Buffer.from(a), Buffer.from(b))).map(([, line]) => line);
}

async function readArchive(path: string, visit: (header: TarMember, body: AsyncIterable<Buffer>) => Promise<void>): Promise<void> {
  try {
    await forEachTarMember(createReadStream(path), visit);
  } catch (cause) {
    throw new SeabuildError({ code: 'IMAGE_INVALID', message: `cannot read the image archive: ${(cause as Error).message}`, file: path, fix: 'check that the path names an image archive written by seabuild', cause });
  }
}

function parseJson(bytes: Buffer | undefined, name: string, problems: string[]): any {
  if (bytes === undefined) { problems.push(`${name}: missing`); return undefined; }
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch {
    problems.push(`${name}: not valid JSON`);
    return undefined;
  }
}
