// Where a file of the app lands in the embedded tree: its path relative to the app root, or, for a
// package resolved outside it (a hoisted monorepo install), its path from the first node_modules.
import { dirname, isAbsolute, join, relative, sep } from 'node:path';
import { existsSync } from 'node:fs';

/** The tree path (POSIX, relative) of an absolute file path, or undefined when it is neither in the app nor in node_modules. */
export function treePathOf(abs: string, appRoot: string): string | undefined {
  const rel = relative(appRoot, abs);
  if (rel !== '' && !rel.startsWith('..') && !isAbsolute(rel)) return rel.split(sep).join('/');
  const at = abs.indexOf(`${sep}node_modules${sep}`);
  return at < 0 ? undefined : abs.slice(at + 1).split(sep).join('/');
}

/** The folder of the package holding `file` (nearest package.json below node_modules), or the app root. */
export function packageDirOf(file: string, appRoot: string): string {
  const at = file.lastIndexOf(`${sep}node_modules${sep}`);
  if (at < 0) return appRoot;
  const parts = file.slice(at + `${sep}node_modules${sep}`.length).split(sep);
  const dir = join(file.slice(0, at), 'node_modules', ...parts.slice(0, parts[0]?.startsWith('@') ? 2 : 1));
  return existsSync(join(dir, 'package.json')) ? dir : dirname(file);
}
