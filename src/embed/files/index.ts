// The embedded file tree: what a build carries besides the bundle (package data files, WebAssembly,
// worker scripts, native addons and their libraries), as SEA assets or as image files.
export { collectPackageFiles, type CollectInput } from './collect.ts';
export { treeManifest, treeSeaAssets, type TreeMode } from './assets.ts';
export { defaultImageTreeRoot, packageFilesRootfsEntries } from './rootfs.ts';
export type { PackageFile, PackageFileKind, PackageFiles } from './types.ts';
import type { PackageFiles } from './types.ts';

/** One line per package: files, bytes and why they are carried (the build prints these). */
export function describePackageFiles(files: PackageFiles): string[] {
  const groups = new Map<string, { count: number; bytes: number; reasons: Set<string> }>();
  for (const f of files.files) {
    const key = f.package ?? '(app)';
    const group = groups.get(key) ?? { count: 0, bytes: 0, reasons: new Set<string>() };
    group.count++;
    group.bytes += f.sizeBytes;
    if (!f.reason.startsWith('package manifest')) group.reasons.add(f.reason);
    groups.set(key, group);
  }
  return [...groups].sort(([a], [b]) => (a < b ? -1 : 1)).map(([name, g]) => {
    const reasons = [...g.reasons];
    const why = reasons.length === 0 ? 'package manifest' : `${reasons[0]}${reasons.length > 1 ? ` (+${reasons.length - 1} more)` : ''}`;
    return `${name}: ${g.count} file${g.count === 1 ? '' : 's'}, ${(g.bytes / 1e6).toFixed(2)} MB — ${why}`;
  });
}
