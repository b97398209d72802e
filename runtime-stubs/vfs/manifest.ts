// The embedded file tree's index: written by the build (src/embed/files), read by the VFS bootstrap
// inside the executable. Types and keys only, so both sides share one definition.

/** SEA asset key of the tree's manifest (JSON). */
export const treeManifestKey = 'seabuild/tree.json';
/** SEA asset key prefix of each embedded file: `seabuild/tree/<treePath>`. */
export const treeAssetPrefix = 'seabuild/tree/';
/** Module specifier prefix the bundle uses for a file of the tree: `seabuild:tree/<treePath>`. */
export const treeSpecifierPrefix = 'seabuild:tree/';

/** One file of the tree. */
export interface TreeFileRecord {
  sizeBytes: number;
  /** Permission bits (0o644, 0o755). */
  mode: number;
  /** Set on ELF files (addons, their libraries, shipped executables): they must be real files, so the
   * standalone executable writes them to disk once (dlopen and execve cannot read memory). */
  sha256?: string;
  /** A script bundled on its own by the build: CommonJS, whatever its package's "type" says. */
  bundled?: true;
}

/**
 * Where the tree lives at run time.
 * - `embedded`: the bytes are SEA assets; ELF files are extracted to `<cache>/<id>/` and the other files
 *   are served from memory at the same paths (the standalone executable).
 * - `external`: every file was laid out under `root` at build time (the image); nothing is embedded.
 */
export type TreeMode = { mode: 'embedded' } | { mode: 'external'; root: string };

/** The manifest: paths are relative to the tree root, POSIX, e.g. `node_modules/sharp/package.json`. */
export interface TreeManifest {
  /** Content hash of the tree (hex): names the extraction folder, so a new build never reuses old files. */
  id: string;
  layout: TreeMode;
  /** mtime reported for every file: SOURCE_DATE_EPOCH, in milliseconds. */
  mtimeMs: number;
  files: Record<string, TreeFileRecord>;
  /** Worker transports named by a module specifier (`pino-pretty`) → tree path of their bundled script. */
  transports?: Record<string, string>;
}
