// What the executable carries besides code, by SEA asset key, and the package files laid out
// beside it: assets, migrations, build info, and the file tree of packages that cannot be bundled
// (native addons). Adding a kind of embedded item is one more branch in `classifyEmbeddedKey`.
import { componentOf, type ComponentInfo, type Piece } from './pieces.ts';
import { treeAssetPrefix as TREE_ASSET_PREFIX, treeManifestKey } from '../../runtime-stubs/vfs/manifest.ts';

export { TREE_ASSET_PREFIX };

/** What the embed stage recorded about SEA asset keys: logical names of assets, the migrations key and its files, the tree's ELF files. */
export interface SeaAssetNames {
  assets: ReadonlyMap<string, string>;
  /** The key of the migrations JSON (the build info names it), and the migration files behind it. */
  migrationsKey?: string;
  migrationFiles: Array<{ path: string; sizeBytes: number }>;
  /** Host paths of the tree's ELF files (the embed stage found them). */
  elfFiles: ReadonlySet<string>;
}

/** The pieces of one SEA asset (the migrations JSON lists its source files). */
export function embeddedItemPieces(key: string, path: string, sizeBytes: number, names: SeaAssetNames, layer: string | null): Piece[] {
  const source = { path };
  if (key === names.migrationsKey) {
    const component = componentOf('migrations', 'migrations', 'migrations');
    // One piece for the JSON; the files are listed with their own sizes (the JSON adds escaping and keys).
    const files = names.migrationFiles.map((file) => ({ component, layer, sizeBytes: 0, source: null, file }));
    return [{ component, layer, sizeBytes, source }, ...files];
  }
  const logical = names.assets.get(key);
  if (logical !== undefined) {
    return [{ component: componentOf('assets', 'assets', 'assets'), layer, sizeBytes, source, file: { path: logical, sizeBytes } }];
  }
  if (key.startsWith(TREE_ASSET_PREFIX)) return [treeFilePiece(key.slice(TREE_ASSET_PREFIX.length), path, sizeBytes, layer, names.elfFiles.has(path))];
  if (key === treeManifestKey) return [{ component: componentOf('build-info', 'build-info', 'build info and manifests'), layer, sizeBytes, source, file: { path: key, sizeBytes } }];
  if (key.startsWith('seabuild/')) return [{ component: componentOf('build-info', 'build-info', 'build info and manifests'), layer, sizeBytes, source, file: { path: key, sizeBytes } }];
  return [{ component: componentOf('embedded:other', 'other', 'other embedded files'), layer, sizeBytes, source, file: { path: key, sizeBytes } }];
}

/**
 * A file of the package tree (`node_modules/sharp/build/Release/sharp.node`), embedded or laid out
 * in the image: it belongs to its innermost package, a native addon when the package has any ELF
 * file, else plain package files.
 */
export function treeFilePiece(treePath: string, hostPath: string, sizeBytes: number, layer: string | null, elf: boolean): Piece {
  return { component: treeComponent(treePath, elf), layer, sizeBytes, source: { path: hostPath }, file: { path: treePath, sizeBytes } };
}

function treeComponent(treePath: string, elf: boolean): ComponentInfo {
  const matches = [...treePath.matchAll(/(?:^|\/)node_modules\/((?:@[^/]+\/)?[^/]+)(?=\/)/g)];
  const name = matches.at(-1)?.[1];
  // Outside node_modules: the app's own files (views/, a data file), by their top folder; not an npm package.
  if (name === undefined) return appFilesComponent(treePath, elf);
  // Kind is per file here; `mergeNativeKinds` in create.ts makes a package with any ELF file an addon.
  return elf
    ? componentOf(`addon:${name}`, 'native-addon', `${name} (native addon)`, { source: 'npm', name })
    : componentOf(`addon:${name}`, 'package-files', `${name} (package files)`, { source: 'npm', name });
}

function appFilesComponent(treePath: string, elf: boolean): ComponentInfo {
  const [top = treePath, ...rest] = treePath.split('/');
  const shown = rest.length > 0 ? `${top}/` : top;
  return componentOf(`app-files:${top}`, elf ? 'native-addon' : 'package-files', `${shown} (app ${elf ? 'native addon' : rest.length > 0 ? 'files' : 'file'})`);
}
