// createReport: a build's artifacts → the size report. No second pass over the build: every size
// comes from the artifacts (metafile, asset records, rootfs entries, layers), and only the pieces'
// compressed sizes are measured here (compressed.ts says how).
import { join, relative } from 'node:path';
import { DEFAULT_LEVELS } from '../image/layer.ts';
import { attributeLayer, type PieceShare } from './compressed.ts';
import { openSizeCache, type SizeCache } from './size-cache.ts';
import { executablePieces, type ReportInput } from './executable.ts';
import { digestInputs } from './inputs.ts';
import { SEABUILD_VERSION } from '../package-root.ts';
import { imagePieces } from './layers.ts';
import type { Piece } from './pieces.ts';
import { SCHEMA_VERSION, type Attribution, type ReportComponent, type ReportLayer, type SizeReport } from './schema.ts';

export { SEABUILD_VERSION };

/** Builds the size report of a finished build. Reads the build's files; writes nothing. */
export async function createReport(result: ReportInput): Promise<SizeReport> {
  const { config, executable, image } = result;
  const pieces = image ? await imagePieces(result, image) : executablePieces(result, null);
  const sizes = image ? await openSizeCache(join(config.cacheDir, 'report-sizes', `${config.name}.json`)) : undefined;
  const shares = image && sizes ? await attributeLayers(pieces, image, sizes) : undefined;
  await sizes?.save();
  const layerOrder = image ? image.rootfs.layers.map((l) => l.name) : [];
  const layers: ReportLayer[] = image ? image.layers.map((layer, i) => ({
    name: image.rootfs.layers[i]?.name ?? `layer${i}`,
    digest: layer.digest,
    diffId: layer.diffId,
    mediaType: layer.mediaType,
    compressedBytes: layer.sizeBytes,
    uncompressedBytes: layer.uncompressedBytes,
    fileCount: layer.entries.length,
  })) : [];
  return {
    schemaVersion: SCHEMA_VERSION,
    seabuildVersion: SEABUILD_VERSION,
    app: { name: config.name, packageName: config.packageName, version: config.version, ...(config.commit ? { commit: config.commit } : {}) },
    sourceDateEpoch: config.sourceDateEpoch,
    inputsDigest: await digestInputs(result, SEABUILD_VERSION),
    node: { version: executable.node.version, binaryBytes: executable.node.sizeBytes, strippedBytes: executable.node.strippedBytes },
    executable: { path: relative(config.root, executable.path), sizeBytes: executable.sizeBytes, sha256: executable.sha256, blobBytes: executable.blobBytes },
    image: image ? {
      reference: image.archive.references[0] ?? '',
      imageId: image.archive.imageId,
      manifestDigest: image.archive.manifestDigest,
      machine: image.machine,
      compression: image.layers[0]?.compression ?? config.image?.compression ?? 'gzip',
      compressionLevel: DEFAULT_LEVELS[image.layers[0]?.compression ?? 'gzip'],
    } : null,
    layers,
    totals: {
      compressedBytes: image ? layers.reduce((n, l) => n + l.compressedBytes, 0) : null,
      uncompressedBytes: image ? layers.reduce((n, l) => n + l.uncompressedBytes, 0) : executable.sizeBytes,
    },
    components: sortComponents(mergePieces(pieces, shares), layerOrder),
  };
}

/** Each layer's pieces get shares of that layer's compressed size, in the layer's own codec. */
async function attributeLayers(pieces: Piece[], image: NonNullable<ReportInput['image']>, sizes: SizeCache): Promise<PieceShare[]> {
  const shares: PieceShare[] = new Array(pieces.length);
  for (const [index, layer] of image.layers.entries()) {
    const name = image.rootfs.layers[index]?.name;
    const indexes = pieces.flatMap((piece, i) => (piece.layer === name ? [i] : []));
    const codec = { compression: layer.compression, level: DEFAULT_LEVELS[layer.compression] };
    const layerShares = await attributeLayer(indexes.map((i) => pieces[i]!), layer.sizeBytes, codec, sizes);
    indexes.forEach((pieceIndex, k) => { shares[pieceIndex] = layerShares[k]!; });
  }
  return shares;
}

/** Sums pieces into components: bytes add up, files are listed, the weakest attribution is kept. */
function mergePieces(pieces: readonly Piece[], shares: readonly PieceShare[] | undefined): ReportComponent[] {
  const byId = new Map<string, ReportComponent>();
  pieces.forEach((piece, i) => {
    const share = shares?.[i];
    let component = byId.get(piece.component.id);
    if (!component) {
      component = { ...piece.component, layer: piece.layer, uncompressedBytes: 0, compressedBytes: share ? 0 : null, attribution: share?.attribution ?? null };
      byId.set(piece.component.id, component);
    }
    // A package with one ELF file among plain files is a native addon.
    if (piece.component.kind === 'native-addon') { component.kind = 'native-addon'; component.name = piece.component.name; }
    component.uncompressedBytes += piece.sizeBytes;
    if (share && piece.sizeBytes > 0) {
      component.compressedBytes = (component.compressedBytes ?? 0) + share.compressedBytes;
      component.attribution = weakest(component.attribution, share.attribution);
    }
    if (piece.file) (component.files ??= []).push(piece.file);
  });
  for (const component of byId.values()) component.files?.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return [...byId.values()];
}

const strength: Record<Attribution, number> = { measured: 2, proportional: 1, residual: 0 };

function weakest(a: Attribution | null, b: Attribution): Attribution {
  return a === null || strength[b] < strength[a] ? b : a;
}

function sortComponents(components: ReportComponent[], layerOrder: string[]): ReportComponent[] {
  const rank = (c: ReportComponent): number => (c.layer === null ? 0 : layerOrder.indexOf(c.layer));
  return components.sort((a, b) => rank(a) - rank(b) || b.uncompressedBytes - a.uncompressedBytes || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
