// The package files and folders the build machine has that the tree leaves out, by tree path: the
// runtime says "is not in the executable" only for those (runtime-stubs/vfs/left-out.ts). Listed:
// everything under the app's node_modules, and the folders of bundled packages resolved outside it
// (a hoisted install). Symbolic links are not followed (a linked workspace package, a `file:`
// dependency: its paths get Node's plain errors), nor node_modules/.bin, .cache and other dot-names
// directly under a node_modules (tools' state, not packages).
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { treePathOf } from '../../bundle/tree-paths.ts';

export function leftOutPaths(root: string, outsidePackageDirs: string[], carried: ReadonlySet<string>): string[] {
  const paths = new Set<string>();
  const walk = (dir: string, underNodeModules: boolean): void => {
    let entries;
    try { entries = readdirSync(dir, { withFileTypes: true }); } catch { return; }
    for (const entry of entries) {
      if (underNodeModules && entry.name.startsWith('.')) continue;
      const full = join(dir, entry.name);
      const treePath = treePathOf(full, root);
      if (treePath === undefined) continue;
      if (entry.isDirectory()) {
        paths.add(treePath);
        walk(full, entry.name === 'node_modules');
      } else if (entry.isFile() && !carried.has(treePath)) {
        paths.add(treePath);
      }
    }
  };
  walk(join(root, 'node_modules'), true);
  for (const dir of outsidePackageDirs) {
    const treePath = treePathOf(dir, root);
    if (treePath !== undefined) paths.add(treePath);
    walk(dir, false);
  }
  return [...paths].sort();
}
