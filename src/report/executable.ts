// The executable, cut into what it is made of: the stripped node binary, the SEA blob (the bundle
// and every SEA asset, with the blob's own framing), and what postject's rewrite of the ELF added.
import { statSync } from 'node:fs';
import type { ReportInput } from './input.ts';
import { bundlePieces } from './javascript.ts';
import { embeddedItemPieces, TREE_ASSET_PREFIX, type SeaAssetNames } from './embedded.ts';
import { componentOf, type Piece } from './pieces.ts';

/**
 * The image's own executable, when it is not the standalone one: with native addons the image
 * gets an executable whose blob embeds no package-tree file (they are laid out in the app layer
 * instead, src/embed/files/image-variant.ts), built from the same node, bundle and other assets.
 */
export interface ImageExecutable {
  sizeBytes: number;
}

/** Every byte of the executable file, as pieces that sum to its size. */
export function executablePieces(result: ReportInput, layer: string | null, imageExecutable?: ImageExecutable): Piece[] {
  const { bundle, embedded, config } = result;
  const executable = { ...result.executable, ...imageExecutable };
  const js = bundlePieces({ path: bundle.path, sizeBytes: bundle.sizeBytes, metafile: bundle.metafile, root: config.root, layer, bannerBytes: bundle.bannerBytes });
  const seaAssets = Object.entries(embedded.seaAssets).filter(([key]) => !imageExecutable || !key.startsWith(TREE_ASSET_PREFIX));
  const assets = seaAssets.flatMap(([key, path]) => embeddedItemPieces(key, path, statSync(path).size, seaAssetNames(result), layer));
  const blobContentBytes = [...js, ...assets].reduce((n, p) => n + p.sizeBytes, 0);
  const node = componentOf('node-runtime', 'node-runtime', `node runtime ${executable.node.version} (stripped)`);
  const overhead = componentOf('sea-overhead', 'sea-overhead', 'SEA blob framing and ELF injection');
  return [
    { component: node, layer, sizeBytes: executable.node.strippedBytes, source: null },
    ...js,
    ...assets,
    // The blob's header and asset keys, and postject's rewrite of the ELF (a moved program header
    // table and a new PT_NOTE segment: +316 KiB on node 24.21, measured). Clamped: never negative.
    { component: overhead, layer, sizeBytes: Math.max(0, executable.sizeBytes - executable.node.strippedBytes - blobContentBytes), source: null },
  ];
}

/** Asset keys → logical names (`assets/css/app.6ac983cd46.css.br` → `css/app.css.br`). */
function seaAssetNames(result: ReportInput): SeaAssetNames {
  const names = new Map<string, string>();
  for (const record of result.embedded.assets?.records ?? []) {
    names.set(record.key, record.logicalName);
    if (record.variants.br) names.set(record.variants.br.key, `${record.logicalName}.br`);
    if (record.variants.gzip) names.set(record.variants.gzip.key, `${record.logicalName}.gz`);
  }
  const migrations = result.embedded.migrations?.migrations ?? [];
  return { assets: names, migrationFiles: migrations.map((m) => ({ path: m.file, sizeBytes: m.sizeBytes })) };
}
