// The image as a value (go-containerregistry's v1.Image, empty.Image and mutate): ordered layers
// plus a config. Every step returns a new frozen value; the base is never changed.
import { canonicalJson, sha256Digest } from './digest.ts';
import type { Layer } from './layer.ts';
import { checkSourceDateEpoch } from './tar.ts';
import type { Machine } from '../elf/index.ts';

/** OCI image-spec media types of the JSON documents we write. */
export const MEDIA_TYPES = {
  manifest: 'application/vnd.oci.image.manifest.v1+json',
  config: 'application/vnd.oci.image.config.v1+json',
  index: 'application/vnd.oci.image.index.v1+json',
} as const;

/**
 * Docker's image manifest v2 schema 2 media types. podman 4.3 keeps an image's healthcheck only from a
 * docker schema 2 manifest: containers/common libimage (inspect.go) reads `HealthCheck` from the
 * config's `container_config` for DockerV2Schema2MediaType and nothing for an OCI manifest, and
 * `podman load` takes the archive's OCI index first. So an image whose layers docker can name (gzip)
 * is written with these types, as go-containerregistry's empty.Image is; zstd layers stay OCI.
 */
export const DOCKER_MEDIA_TYPES = {
  manifest: 'application/vnd.docker.distribution.manifest.v2+json',
  config: 'application/vnd.docker.container.image.v1+json',
  layerGzip: 'application/vnd.docker.image.rootfs.diff.tar.gzip',
} as const;

/** The media type of `image`'s manifest: docker's schema 2 when every layer is gzip (DOCKER_MEDIA_TYPES), else OCI's. */
export function manifestMediaType(image: Pick<Image, 'layers'>): string {
  return image.layers.every((layer) => layer.mediaType.endsWith('+gzip')) ? DOCKER_MEDIA_TYPES.manifest : MEDIA_TYPES.manifest;
}

/** OCI image-spec config.md platform; arm64 carries variant v8 as containerd normalises it. */
export interface Platform {
  architecture: 'amd64' | 'arm64';
  os: 'linux';
  variant?: 'v8';
}

/** What a container runs with; serialised with docker's field names in the config's `config` object. */
export interface RuntimeConfig {
  entrypoint?: string[];
  cmd?: string[];
  /** `uid:gid` or a user name from /etc/passwd. */
  user?: string;
  /** Written sorted by name as `NAME=value`. */
  env?: Readonly<Record<string, string>>;
  /** `8080` means `8080/tcp`; `"53/udp"` is taken as is. */
  exposedPorts?: ReadonlyArray<number | string>;
  workingDir?: string;
  labels?: Readonly<Record<string, string>>;
  stopSignal?: string;
  healthcheck?: Healthcheck;
}

/** Docker's HEALTHCHECK (the OCI config has no such field; docker reads it from the same place). */
export interface Healthcheck {
  /** e.g. `["CMD", "/app", "healthcheck"]`. */
  test: string[];
  intervalMs?: number;
  timeoutMs?: number;
  startPeriodMs?: number;
  retries?: number;
}

/** One history entry per appended layer (OCI config.md `history`). */
export interface HistoryInput {
  createdBy: string;
  comment?: string;
}

/** An image: platform, layers in order (base first), their history, runtime config and manifest annotations. */
export interface Image {
  readonly platform: Readonly<Platform>;
  /** Seconds since 1970: the config's `created` and every history entry's. */
  readonly sourceDateEpoch: number;
  readonly layers: readonly Layer[];
  readonly history: readonly HistoryInput[];
  readonly config: Readonly<RuntimeConfig>;
  readonly annotations: Readonly<Record<string, string>>;
}

/** A JSON document of the image: canonical bytes, digest and size, ready to be a blob. */
export interface JsonBlob {
  readonly bytes: Buffer;
  readonly digest: string;
  readonly sizeBytes: number;
}

/** An OCI descriptor (descriptor.md). */
export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  platform?: Platform;
  annotations?: Record<string, string>;
}

/** The platform of a machine type read from ELF. */
export function platformOf(machine: Machine): Platform {
  return machine === 'x86_64' ? { architecture: 'amd64', os: 'linux' } : { architecture: 'arm64', os: 'linux', variant: 'v8' };
}

/** FROM scratch: no layers, no config. */
export function emptyImage(options: { machine: Machine; sourceDateEpoch: number }): Image {
  checkSourceDateEpoch(options.sourceDateEpoch);
  return freeze({ platform: platformOf(options.machine), sourceDateEpoch: options.sourceDateEpoch, layers: [], history: [], config: {}, annotations: {} });
}

/** A new image with `layers` on top; `history[i]` describes `layers[i]` (default: created by seabuild). */
export function appendLayers(image: Image, layers: readonly Layer[], history: readonly HistoryInput[] = []): Image {
  if (history.length > layers.length) throw new RangeError(`appendLayers: ${history.length} history entries for ${layers.length} layers`);
  const added = layers.map((_, index) => history[index] ?? { createdBy: 'seabuild' });
  return freeze({ ...image, layers: [...image.layers, ...layers], history: [...image.history, ...added] });
}

/** A new image whose runtime config has the fields of `patch` replaced (labels and env are merged). */
export function withConfig(image: Image, patch: RuntimeConfig): Image {
  const config: RuntimeConfig = { ...image.config, ...patch };
  if (image.config.labels && patch.labels) config.labels = { ...image.config.labels, ...patch.labels };
  if (image.config.env && patch.env) config.env = { ...image.config.env, ...patch.env };
  return freeze({ ...image, config });
}

/** A new image with manifest annotations added (e.g. `org.opencontainers.image.source`). */
export function withAnnotations(image: Image, annotations: Readonly<Record<string, string>>): Image {
  return freeze({ ...image, annotations: { ...image.annotations, ...annotations } });
}

/** The OCI image config (config.md), with docker's Healthcheck inside `config`. */
export function imageConfig(image: Image): Record<string, unknown> {
  const created = rfc3339(image.sourceDateEpoch);
  return {
    ...image.platform,
    created,
    config: runtimeConfigJson(image.config),
    // Where podman reads the healthcheck of a docker schema 2 image (DOCKER_MEDIA_TYPES); docker reads `config`.
    ...(image.config.healthcheck ? { container_config: { Healthcheck: runtimeConfigJson(image.config).Healthcheck } } : {}),
    rootfs: { type: 'layers', diff_ids: image.layers.map((layer) => layer.diffId) },
    history: image.history.map((entry) => ({ created, created_by: entry.createdBy, comment: entry.comment })),
  };
}

/** The config as a blob; its digest is the image ID. */
export function imageConfigBlob(image: Image): JsonBlob {
  return jsonBlob(imageConfig(image));
}

/** The OCI image manifest (manifest.md). */
export function imageManifest(image: Image): Record<string, unknown> {
  const config = imageConfigBlob(image);
  const annotations = Object.keys(image.annotations).length > 0 ? image.annotations : undefined;
  const docker = manifestMediaType(image) === DOCKER_MEDIA_TYPES.manifest;
  return {
    schemaVersion: 2,
    mediaType: manifestMediaType(image),
    config: { mediaType: docker ? DOCKER_MEDIA_TYPES.config : MEDIA_TYPES.config, digest: config.digest, size: config.sizeBytes },
    layers: image.layers.map((layer) => ({ mediaType: docker ? DOCKER_MEDIA_TYPES.layerGzip : layer.mediaType, digest: layer.digest, size: layer.sizeBytes })),
    annotations,
  };
}

/** The manifest as a blob; its digest is what a registry calls the image digest. */
export function imageManifestBlob(image: Image): JsonBlob {
  return jsonBlob(imageManifest(image));
}

/** The image ID docker and podman show: the config digest. */
export function imageId(image: Image): string {
  return imageConfigBlob(image).digest;
}

/** The index.json entry pointing at this image's manifest, with optional annotations. */
export function manifestDescriptor(image: Image, annotations?: Record<string, string>): Descriptor {
  const manifest = imageManifestBlob(image);
  return { mediaType: manifestMediaType(image), digest: manifest.digest, size: manifest.sizeBytes, platform: { ...image.platform }, annotations };
}

/** Canonical JSON bytes of a value with their digest. */
export function jsonBlob(value: unknown): JsonBlob {
  const bytes = Buffer.from(canonicalJson(value));
  return Object.freeze({ bytes, digest: sha256Digest(bytes), sizeBytes: bytes.byteLength });
}

function runtimeConfigJson(config: RuntimeConfig): Record<string, unknown> {
  const health = config.healthcheck;
  return {
    Entrypoint: config.entrypoint,
    Cmd: config.cmd,
    User: config.user,
    Env: config.env && Object.keys(config.env).sort().map((name) => `${name}=${config.env?.[name]}`),
    ExposedPorts: config.exposedPorts && Object.fromEntries(config.exposedPorts.map((port) => [typeof port === 'number' ? `${port}/tcp` : port, {}])),
    WorkingDir: config.workingDir,
    Labels: config.labels,
    StopSignal: config.stopSignal,
    // Docker keeps durations as Go time.Duration: nanoseconds.
    Healthcheck: health && {
      Test: health.test,
      Interval: nanoseconds(health.intervalMs),
      Timeout: nanoseconds(health.timeoutMs),
      StartPeriod: nanoseconds(health.startPeriodMs),
      Retries: health.retries,
    },
  };
}

function nanoseconds(ms: number | undefined): number | undefined {
  return ms === undefined ? undefined : ms * 1_000_000;
}

/** RFC 3339 without fractional seconds, as Go writes time.Time. */
function rfc3339(epochSeconds: number): string {
  return new Date(epochSeconds * 1000).toISOString().replace('.000Z', 'Z');
}

function freeze(image: Image): Image {
  return Object.freeze(image);
}
