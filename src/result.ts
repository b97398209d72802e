// What build() returns: its outputs as they are once it has returned. The stages' artifacts point
// into the build's work folder (the bundle, SEA assets, staged executables, layer blobs, the smoke
// run's rootfs), which build() deletes; these values keep what describes the outputs (sizes,
// digests, references, what went in) and name only files that remain: the outputs, the app's own
// files, the cache. test/build-result.test.ts opens every path of a result after build() returns.
import type { Bundle } from './bundle/index.ts';
import type { Embedded, PackageFile } from './embed/index.ts';
import type { ImageBuild } from './image/index.ts';
import type { Layer } from './image/layer.ts';
import type { LayerName } from './rootfs/index.ts';
import type { SeaExecutable } from './sea/index.ts';
import type { Verification } from './verify/index.ts';

/** The bundle that went into every executable (its file was in the work folder). */
export type BuiltBundle = Pick<Bundle, 'sizeBytes' | 'sha256' | 'metafile' | 'bannerBytes'> & { launch: Omit<Bundle['launch'], 'sourceMap'> };

/** What the executables carry besides the bundle: assets, migrations, the package files (from the app's folder). */
export interface BuiltEmbedded {
  info: Embedded['info'];
  assets?: Omit<NonNullable<Embedded['assets']>, 'files'>;
  migrations?: Embedded['migrations'];
  packageFiles?: { files: Array<Omit<PackageFile, 'sourcePath'>>; totalBytes: number };
}

/** An executable written to the output folder. */
export type BuiltExecutable = Omit<SeaExecutable, 'stagedPath' | 'assets'> & {
  /** The SEA assets in its blob: keys and sizes. */
  assets: Array<{ key: string; sizeBytes: number }>;
};

/** One layer of the image; its bytes are in the archive (`blobs/sha256/<digest>`). */
export type BuiltLayer = Omit<Layer, 'blobPath' | 'open'> & { name: LayerName };

/** The image written to the output folder. */
export type BuiltImage = Pick<ImageBuild, 'machine' | 'closure' | 'libraries' | 'runtime' | 'split' | 'archive' | 'push' | 'dpkgDir'> & {
  platform: ImageBuild['image']['platform'];
  layers: BuiltLayer[];
};

/** What the smoke run proved (it ran in a folder of the work folder). */
export type BuiltVerification = Omit<Verification, 'rootfsDir'>;

export function builtBundle({ sizeBytes, sha256, metafile, bannerBytes, launch: { sourceMap: _, ...launch } }: Bundle): BuiltBundle {
  // The source map was a file of the work folder; it is inside the executable.
  return { sizeBytes, sha256, metafile, bannerBytes, launch };
}

export function builtEmbedded(embedded: Embedded): BuiltEmbedded {
  const { info, assets, migrations, packageFiles } = embedded;
  return {
    info,
    ...(assets ? { assets: { dir: assets.dir, records: assets.records, totalBytes: assets.totalBytes, embeddedBytes: assets.embeddedBytes } } : {}),
    ...(migrations ? { migrations } : {}),
    ...(packageFiles ? { packageFiles: { files: packageFiles.files.map(({ sourcePath: _, ...file }) => file), totalBytes: packageFiles.totalBytes } } : {}),
  };
}

export function builtExecutable({ stagedPath: _, assets, ...executable }: SeaExecutable): BuiltExecutable {
  return { ...executable, assets: assets.map(({ key, sizeBytes }) => ({ key, sizeBytes })) };
}

/**
 * `renamed`: paths of the work folder → what names them after build() (the staged executable → the
 * published one; the image's own executable, which exists only in the image → its path there): the
 * closure records which root needed each library by the root's host path.
 */
export function builtImage(image: ImageBuild, renamed: ReadonlyMap<string, string>): BuiltImage {
  const closure = { ...image.closure, libraries: image.closure.libraries.map((library) => ({ ...library, neededBy: library.neededBy.map((path) => renamed.get(path) ?? path) })) };
  return {
    machine: image.machine, platform: image.image.platform, closure, libraries: image.libraries, runtime: image.runtime, split: image.split,
    layers: image.layers.map(({ blobPath: _, open: __, ...layer }, index) => ({ ...layer, name: image.rootfs.layers[index]!.name })),
    archive: image.archive, ...(image.push ? { push: image.push } : {}), ...(image.dpkgDir ? { dpkgDir: image.dpkgDir } : {}),
  };
}

export function builtVerification({ rootfsDir: _, ...verification }: Verification): BuiltVerification {
  return verification;
}
