// The image's layers as pieces: the executable (cut up by executable.ts), each shared library with
// the Debian package it came from, package trees laid out beside the executable, the image's own
// files (/etc, the CA bundle), and each layer's tar headers and padding.
import type { RootfsEntry } from '../rootfs/index.ts';
import { executablePieces } from './executable.ts';
import type { ReportInput } from './input.ts';
import { treeFilePiece } from './embedded.ts';
import { componentOf, type Piece } from './pieces.ts';

type ImageBuild = NonNullable<ReportInput['image']>;
type FileEntry = Extract<RootfsEntry, { type: 'file' }>;

/** Every byte of every layer (tar headers included), as pieces; per layer they sum to its uncompressed size. */
export async function imagePieces(result: ReportInput, image: ImageBuild): Promise<Piece[]> {
  const appPath = result.config.image?.appPath ?? '/app';
  const libraries = libraryComponents(image);
  const elfFiles = new Set(result.embedded.packageFiles?.elfFiles ?? []);
  const pieces: Piece[] = [];
  image.rootfs.layers.forEach((rootfsLayer, index) => {
    const layer = image.layers[index];
    if (!layer) return;
    const files = rootfsLayer.entries.filter((entry): entry is FileEntry => entry.type === 'file');
    const layerPieces = files.flatMap((entry): Piece[] => {
      if (entry.path === appPath) return executablePieces(result, rootfsLayer.name, image.executable);
      return [filePiece(entry, rootfsLayer.name, libraries, elfFiles)];
    });
    const contentBytes = files.reduce((n, entry) => n + entry.sizeBytes, 0);
    pieces.push(...layerPieces, tarOverheadPiece(rootfsLayer.name, rootfsLayer.entries, layer.uncompressedBytes - contentBytes));
  });
  return pieces;
}

function filePiece(entry: FileEntry, layer: string, libraries: Map<string, Piece['component']>, elfFiles: ReadonlySet<string>): Piece {
  const source = 'path' in entry.source ? { path: entry.source.path } : { content: entry.source.content };
  const file = { path: entry.path, sizeBytes: entry.sizeBytes };
  const library = libraries.get(entry.path);
  if (library) return { component: library, layer, sizeBytes: entry.sizeBytes, source, file };
  const tree = /(?:^|\/)node_modules\//.exec(entry.path);
  if (tree && 'path' in entry.source) return treeFilePiece(entry.path.slice(tree.index + (entry.path[tree.index] === '/' ? 1 : 0)), entry.source.path, entry.sizeBytes, layer, elfFiles.has(entry.source.path));
  const component = layer === 'system'
    ? componentOf('image-files', 'image-files', 'image files (/etc, CA certificates)')
    : componentOf('app-files', 'other', 'other app files');
  return { component, layer, sizeBytes: entry.sizeBytes, source, file };
}

/** Image path of each library file (and the loader) → its component, with the dpkg package that owns it (found by the image stage). */
function libraryComponents(image: ImageBuild): Map<string, Piece['component']> {
  const components = new Map<string, Piece['component']>();
  for (const library of image.libraries.system) {
    const pkg = library.package ? { source: 'dpkg' as const, name: library.package.package, version: library.package.version } : undefined;
    components.set(library.realPath, componentOf(`lib:${library.soname}`, 'shared-library', library.soname, pkg));
  }
  return components;
}

/**
 * The layer's tar structure: a 512-byte header per entry, padding to 512-byte blocks, two zero
 * blocks at the end (POSIX ustar; PAX headers for long names). Measured on stand-in bytes: each
 * header block carries its entry's path, the rest is zeros, as in the real tar.
 */
function tarOverheadPiece(layer: string, entries: readonly RootfsEntry[], sizeBytes: number): Piece {
  const content = new Uint8Array(Math.max(0, sizeBytes));
  entries.forEach((entry, index) => {
    const offset = index * 512;
    if (offset + 512 <= content.length) content.set(Buffer.from(`${entry.path.slice(1)}\0${entry.type}`).subarray(0, 512), offset);
  });
  return { component: componentOf(`tar:${layer}`, 'tar-overhead', `${layer} layer tar headers and padding`), layer, sizeBytes: content.length, source: { content } };
}
