// The tree inside the executable: a manifest (always, so the runtime knows what is not there) and,
// when embedded, one SEA asset per file. The image variant embeds no file: its blob names the folder
// where the image lays the files out, so no byte of an addon is stored twice (issue 4).
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { treeAssetPrefix, treeManifestKey, type TreeManifest, type TreeMode } from '../../../runtime-stubs/vfs/manifest.ts';
import { encodeLeftOut, leftOutKey } from '../../../runtime-stubs/vfs/left-out.ts';
import type { PackageFiles } from './types.ts';

export type { TreeMode } from '../../../runtime-stubs/vfs/manifest.ts';

/** The manifest the runtime reads. ELF files carry their sha256, which extraction verifies. */
export function treeManifest(files: PackageFiles, layout: TreeMode, sourceDateEpoch: number): TreeManifest {
  const records: TreeManifest['files'] = {};
  for (const f of files.files) {
    const elf = f.kind === 'addon' || f.kind === 'library' || f.kind === 'executable';
    records[f.treePath] = { sizeBytes: f.sizeBytes, mode: f.mode, ...(elf ? { sha256: f.sha256 } : {}), ...(f.bundled ? { bundled: true as const } : {}) };
  }
  return { id: files.id, layout, mtimeMs: sourceDateEpoch * 1000, files: records, ...(files.transports ? { transports: files.transports } : {}) };
}

/** SEA asset key → file for the tree in `layout`, writing the manifest into `workDir`. */
export async function treeSeaAssets(files: PackageFiles, layout: TreeMode, sourceDateEpoch: number, workDir: string): Promise<Record<string, string>> {
  const manifestPath = join(workDir, `tree-${layout.mode}.json`);
  await writeFile(manifestPath, JSON.stringify(treeManifest(files, layout, sourceDateEpoch)));
  const assets: Record<string, string> = { [treeManifestKey]: manifestPath };
  if (files.leftOut && files.leftOut.length > 0) {
    const leftOutPath = join(workDir, `tree-left-out-${layout.mode}.bin`);
    await writeFile(leftOutPath, encodeLeftOut(files.leftOut));
    assets[leftOutKey] = leftOutPath;
  }
  if (layout.mode === 'embedded') for (const f of files.files) assets[treeAssetPrefix + f.treePath] = f.sourcePath;
  return assets;
}
