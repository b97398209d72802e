// The image's view of the tree. A container runs --read-only with no tmpfs (and Docker mounts /tmp
// noexec), so the standalone executable's extraction cannot work there; and the image must not
// store an addon twice (once in the blob, once extracted). So when the tree holds ELF files, the
// image gets its own executable (the orchestrator builds it from these assets with the SEA stage)
// whose blob embeds no file of the tree but names the folder where the image lays the files out at
// build time; everything is then loaded in place.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '../../log.ts';
import type { RootfsEntry } from '../../rootfs/index.ts';
import { withTreeLayout, type Embedded } from '../index.ts';
import { defaultImageTreeRoot, packageFilesRootfsEntries } from './rootfs.ts';

/** The tree laid out in the image instead of embedded: what the image's executable and the image stage take. */
export interface ImageTreeLayout {
  /** The folder of the image the tree is laid out in. */
  root: string;
  /** The SEA assets of the image's executable (key → file): the tree's manifest names `root`, no tree file is embedded. */
  assets: Record<string, string>;
  /** The tree's files as app-layer entries. */
  extraAppFiles: RootfsEntry[];
  /** The ELF files among them (addons, libraries, executables): roots of the library closure. */
  extraElfFiles: string[];
}

/** The image's layout of the tree of `embedded` when it holds ELF files (see the file comment); undefined: the image takes the standalone executable. */
export async function layOutImageTree(input: { embedded: Embedded; name: string; sourceDateEpoch: number; workDir: string; logger: Logger; root?: string }): Promise<ImageTreeLayout | undefined> {
  const files = input.embedded.packageFiles;
  if (!files || files.elfFiles.length === 0) return undefined;
  const root = input.root ?? defaultImageTreeRoot(input.name);
  await mkdir(input.workDir, { recursive: true });
  input.logger.info(`building the image's executable: ${files.files.length} package files laid out under ${root}, none embedded`);
  const assets = await withTreeLayout(input.embedded, { mode: 'external', root }, { sourceDateEpoch: input.sourceDateEpoch }, input.workDir);
  return { root, assets, extraAppFiles: packageFilesRootfsEntries(files, root), extraElfFiles: files.elfFiles };
}
