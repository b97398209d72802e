// The report's raw material: pieces of bytes, each in one layer (or in no layer without an image)
// and owned by one component. Collectors turn build artifacts into pieces; `createReport` sums
// them per component. A collector is one function, so a new artifact (native addons) is one more.
import type { Compression } from '../image/layer.ts';
import type { ComponentGroup, ComponentKind, ComponentPackage, ReportFile } from './schema.ts';

/** The component a piece belongs to (pieces with the same id merge; the first one's fields win). */
export interface ComponentInfo {
  id: string;
  kind: ComponentKind;
  group: ComponentGroup;
  name: string;
  package?: ComponentPackage;
}

/**
 * Where to read a piece's bytes to compress them alone. `null`: not measured, the piece shares
 * the layer's residual (the node runtime inside the executable: measuring it would compress
 * ~110 MB a second time in every build).
 */
/** A codec and level, as the layer was written (what a piece's compressed size is measured with). */
export interface Codec {
  compression: Compression;
  level: number;
}

export type PieceSource = { path: string } | { content: Uint8Array } | null;

/** Some bytes of the image, owned by one component. */
export interface Piece {
  component: ComponentInfo;
  /** Layer name; null when the build made no image. */
  layer: string | null;
  sizeBytes: number;
  source: PieceSource;
  /**
   * Pieces sharing a `splitOf` are parts of one file that cannot be cut apart (the bundle): the
   * file is measured once and its compressed size is split among them by `sizeBytes`.
   */
  splitOf?: { key: string; source: { path: string } | { content: Uint8Array } };
  /** Listed in the component's files. */
  file?: ReportFile;
}

/** The group each kind belongs to. */
export const GROUP_OF: Readonly<Record<ComponentKind, ComponentGroup>> = {
  'node-runtime': 'node',
  'sea-overhead': 'overhead',
  'app-code': 'javascript',
  'npm-package': 'javascript',
  'seabuild-runtime': 'javascript',
  'bundle-glue': 'javascript',
  assets: 'embedded',
  migrations: 'embedded',
  'build-info': 'embedded',
  'native-addon': 'native',
  'package-files': 'embedded',
  'shared-library': 'system',
  'image-files': 'system',
  'tar-overhead': 'overhead',
  other: 'embedded',
};

/** A ComponentInfo with its group filled in from the kind. */
export function componentOf(id: string, kind: ComponentKind, name: string, pkg?: ComponentPackage): ComponentInfo {
  return { id, kind, group: GROUP_OF[kind], name, ...(pkg ? { package: pkg } : {}) };
}
