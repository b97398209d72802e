// A root filesystem as plain data: what the image stage lays out, the smoke run executes and the report and SBOMs describe. No methods, no I/O.

/** One entry of a root filesystem as it will appear in the image. Paths are absolute, POSIX, no trailing slash. */
export type RootfsEntry =
  | { type: 'dir'; path: string; mode: number; uid: number; gid: number }
  | {
      type: 'file';
      path: string;
      mode: number;
      uid: number;
      gid: number;
      /** Where the bytes come from: a file on the build host, or literal content. */
      source: { path: string } | { content: Uint8Array };
      sizeBytes: number;
    }
  | { type: 'symlink'; path: string; target: string; uid: number; gid: number };

/** Which layer an entry belongs to; layers are ordered as listed (least often changing first). */
export type LayerName = 'system' | 'runtime' | 'packages' | 'app';

/** A laid-out root filesystem: entries grouped by layer, plus what each came from (for the report). */
export interface Rootfs {
  layers: Array<{ name: LayerName; entries: RootfsEntry[] }>;
}
