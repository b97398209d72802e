// The size report as written to `dist/<name>.report.json`: plain data, versioned, documented in
// docs/REPORT-SCHEMA.md. Every byte of every layer belongs to exactly one component.

/** The schema version this seabuild writes and reads. Bump it on any incompatible change. */
export const SCHEMA_VERSION = 1;

/** What a component is; the report's tables and the HTML treemap group and colour by it. */
export type ComponentKind =
  | 'node-runtime'
  | 'sea-overhead'
  | 'app-code'
  | 'npm-package'
  | 'seabuild-runtime'
  | 'bundle-glue'
  | 'assets'
  | 'migrations'
  | 'build-info'
  | 'native-addon'
  | 'package-files'
  | 'shared-library'
  | 'image-files'
  | 'tar-overhead'
  | 'other';

/** The coarse group of a component (one colour in the treemap). */
export type ComponentGroup = 'node' | 'javascript' | 'embedded' | 'native' | 'system' | 'overhead';

/**
 * How a component's `compressedBytes` was found (docs/REPORT-SCHEMA.md, "Compressed bytes"):
 * `measured`: its bytes compressed alone with the layer's codec and level, then fitted to the layer;
 * `residual`: what the layer's real compressed size leaves after the measured components;
 * `proportional`: a share of one measured file by uncompressed bytes (npm packages inside the bundle).
 */
export type Attribution = 'measured' | 'residual' | 'proportional';

/** One file (or embedded item) of a component. */
export interface ReportFile {
  /** A stable name: the path in the image, the asset's logical name, the bundle input path. */
  path: string;
  sizeBytes: number;
}

/** The Debian or npm package a component came from. */
export interface ComponentPackage {
  source: 'dpkg' | 'npm';
  name: string;
  /** Absent when the package manager did not say (a library no dpkg package lists). */
  version?: string;
}

/** One part of the image: the unit the tables, the treemap and the diff speak of. */
export interface ReportComponent {
  /** Stable across builds, so that two reports can be compared: `npm:ms`, `lib:libc.so.6`, `assets`. */
  id: string;
  kind: ComponentKind;
  group: ComponentGroup;
  /** For people: `node runtime v24.21.0 (stripped)`, `ms`, `libstdc++.so.6`. */
  name: string;
  /** The layer holding its bytes; null when the build made no image. */
  layer: string | null;
  uncompressedBytes: number;
  /** Its share of the layer's compressed bytes; null when the build made no image. */
  compressedBytes: number | null;
  attribution: Attribution | null;
  package?: ComponentPackage;
  /** Its files, sorted by path (absent for single-piece components such as the node runtime). */
  files?: ReportFile[];
}

/** One image layer, as the registry stores it. */
export interface ReportLayer {
  name: string;
  /** `sha256:…` of the compressed blob. */
  digest: string;
  /** `sha256:…` of the uncompressed tar. */
  diffId: string;
  mediaType: string;
  compressedBytes: number;
  /** Size of the uncompressed tar (headers and padding included). */
  uncompressedBytes: number;
  /** Regular files in the layer. */
  fileCount: number;
}

/** The whole report. */
export interface SizeReport {
  schemaVersion: typeof SCHEMA_VERSION;
  seabuildVersion: string;
  app: { name: string; packageName: string; version: string; commit?: string };
  /** Seconds since 1970 that the build stamped on every file (SOURCE_DATE_EPOCH). */
  sourceDateEpoch: number;
  /** `sha256:…` over the build's inputs (docs/REPORT-SCHEMA.md, "Inputs digest"). */
  inputsDigest: string;
  node: { version: string; binaryBytes: number; strippedBytes: number };
  executable: { path: string; sizeBytes: number; sha256: string; blobBytes: number };
  image: null | {
    reference: string;
    imageId: string;
    manifestDigest: string;
    machine: string;
    compression: string;
    compressionLevel: number;
  };
  layers: ReportLayer[];
  /** Sums of the layers (or of the executable without an image); components add up to exactly these. */
  totals: { compressedBytes: number | null; uncompressedBytes: number };
  /** Sorted by layer order, then uncompressed bytes (largest first), then id. */
  components: ReportComponent[];
}
