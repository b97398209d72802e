// The image's view of the tree. A container runs --read-only with no tmpfs (and Docker mounts /tmp
// noexec), so the standalone executable's extraction cannot work there; and the image must not
// store an addon twice (once in the blob, once extracted). So when the tree holds ELF files, the
// image gets its own executable whose blob embeds no file of the tree but names the folder where
// the image lays the files out at build time; everything is then loaded in place.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { ResolvedConfig } from '../../config.ts';
import type { Logger } from '../../log.ts';
import type { Timings } from '../../timings.ts';
import type { RootfsEntry } from '../../image/types.ts';
import { buildSea, type SeaExecutable } from '../../sea/index.ts';
import { withTreeLayout, type Embedded } from '../index.ts';
import { defaultImageTreeRoot, packageFilesRootfsEntries } from './rootfs.ts';

/** What the image stage takes from the tree. */
export interface ImageTree {
  /** The executable for the image (the standalone one when the tree has no ELF file). */
  executable: SeaExecutable;
  /** The folder of the image the tree is laid out in; undefined when the tree stays embedded. */
  root?: string;
  /** The tree's files as app-layer entries (empty when embedded). */
  extraAppFiles: RootfsEntry[];
  /** The ELF files among them (addons, libraries, executables): roots of the library closure. */
  extraElfFiles: string[];
  /** The SEA assets of `executable` (key → file): the split image layout lays them out as files. */
  assets: Record<string, string>;
}

/** Builds the image's executable and entries for the tree of `embedded` (see the file comment). */
export async function prepareImageTree(input: {
  config: ResolvedConfig;
  embedded: Embedded;
  bundlePath: string;
  standalone: SeaExecutable;
  workDir: string;
  logger: Logger;
  root?: string;
  timings?: Timings;
}): Promise<ImageTree> {
  const files = input.embedded.packageFiles;
  if (!files || files.elfFiles.length === 0) return { executable: input.standalone, extraAppFiles: [], extraElfFiles: [], assets: input.embedded.seaAssets };
  const root = input.root ?? defaultImageTreeRoot(input.config.name);
  const workDir = join(input.workDir, 'image-executable');
  await mkdir(workDir, { recursive: true });
  input.logger.info(`building the image's executable: ${files.files.length} package files laid out under ${root}, none embedded`);
  const assets = await withTreeLayout(input.embedded, { mode: 'external', root }, input.config, workDir);
  const executable = await buildSea({
    node: input.standalone.node,
    bundlePath: input.bundlePath,
    assets,
    output: join(workDir, input.config.name),
    workDir,
    check: false,
    codeCache: input.config.codeCache,
    ...(input.timings ? { timings: input.timings } : {}),
    label: 'image executable',
  });
  return { executable, root, extraAppFiles: packageFilesRootfsEntries(files, root), extraElfFiles: files.elfFiles, assets };
}
