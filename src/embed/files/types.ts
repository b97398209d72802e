// The embedded file tree as an artifact: every package file the executable carries besides the
// bundle, where it came from and why. The size report and the image stage read it.

/** What a carried file is; ELF files (`addon`, `library`, `executable`) must exist on disk at run time. */
export type PackageFileKind = 'addon' | 'library' | 'executable' | 'script' | 'data';

/** One file of the tree. */
export interface PackageFile {
  /** Path in the tree, POSIX, relative to the tree root: `node_modules/sharp/package.json`. */
  treePath: string;
  /** The file on the build host the bytes come from (a package file, or a bundled entry in the work folder). */
  sourcePath: string;
  /** The package it belongs to (`@img/sharp-linux-x64`); undefined for the app's own files. */
  package?: string;
  kind: PackageFileKind;
  sizeBytes: number;
  sha256: string;
  /** 0o755 for executables, else 0o644. */
  mode: number;
  /** A script bundled on its own (CommonJS output, whatever its package's "type"). */
  bundled?: boolean;
  /** Why it is carried, e.g. `referenced by node_modules/figlet/dist/node-figlet.cjs:31`. */
  reason: string;
}

/** Every file of the tree, sorted by tree path. */
export interface PackageFiles {
  files: PackageFile[];
  totalBytes: number;
  /** Host paths of the ELF files (addons, their libraries, shipped executables): roots for the image's library closure. */
  elfFiles: string[];
  /** Worker transports named by a specifier (`pino-pretty`) → the tree path of their bundled script. */
  transports?: Record<string, string>;
  /** Hash of the ELF files (paths, modes, contents): names the standalone executable's extraction folder. */
  id: string;
  /** Tree paths of the package files and folders the build machine has that the tree does not carry (left-out.ts). */
  leftOut?: string[];
}
