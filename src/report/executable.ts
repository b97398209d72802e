// The executable, cut into what it is made of: the stripped node binary, the SEA blob (the bundle
// and every SEA asset, with the blob's own framing), and what postject's rewrite of the ELF added.
// Sizes come from the artifacts: the SEA stage records each asset of a blob with its size.
import type { SeaExecutable } from '../sea/index.ts';
import type { ReportInput } from './input.ts';
import { bundlePieces } from './javascript.ts';
import { embeddedItemPieces, type SeaAssetNames } from './embedded.ts';
import { componentOf, type Piece } from './pieces.ts';

/**
 * Every byte of `executable` (default the standalone one; with native addons the image holds its
 * own, whose blob embeds no package-tree file: src/embed/files/image-variant.ts), as pieces that sum to its size.
 */
export function executablePieces(result: ReportInput, layer: string | null, executable: SeaExecutable = result.executable): Piece[] {
  const { bundle, config } = result;
  const js = bundlePieces({ path: bundle.path, sizeBytes: bundle.sizeBytes, metafile: bundle.metafile, root: config.root, layer, bannerBytes: bundle.bannerBytes, launcherInput: bundle.launcherInput, packageVersions: bundle.packageVersions });
  const names = seaAssetNames(result);
  const assets = executable.assets.flatMap((asset) => embeddedItemPieces(asset.key, asset.path, asset.sizeBytes, names, layer));
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

/** What the embed stage recorded about the keys: asset keys → logical names (`assets/css/app.6ac983cd46.css.br` → `css/app.css.br`), the migrations key, the ELF files. */
export function seaAssetNames({ embedded }: Pick<ReportInput, 'embedded'>): SeaAssetNames {
  const names = new Map<string, string>();
  for (const record of embedded.assets?.records ?? []) {
    names.set(record.key, record.logicalName);
    if (record.variants.br) names.set(record.variants.br.key, `${record.logicalName}.br`);
    if (record.variants.gzip) names.set(record.variants.gzip.key, `${record.logicalName}.gz`);
  }
  const migrations = embedded.migrations?.migrations ?? [];
  return {
    assets: names,
    ...(embedded.info.migrationsKey ? { migrationsKey: embedded.info.migrationsKey } : {}),
    migrationFiles: migrations.map((m) => ({ path: m.file, sizeBytes: m.sizeBytes })),
    elfFiles: new Set(embedded.packageFiles?.elfFiles ?? []),
  };
}
