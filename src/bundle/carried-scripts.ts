// Scripts carried in the tree (not bundled) because a package loads them by a computed path — a folder
// named by `path.resolve(__dirname, '../cli-engine/formatters', `${name}.js`)` (ESLint's formatters) —
// run under Node's own loader at run time, and their `require()`s are resolved from their place in
// the tree. What they require must be there too, even when the bundle holds a copy of it: the
// bundle's modules have no path (ESLint's stylish.js requires '../../shared/text-table', which was
// only in the bundle: `Cannot find module`). Their literal specifiers are followed, as Node would
// resolve them, and every module reached is carried.
// A plain scan of the text, not a parser or @vercel/nft: such folders also hold megabytes of browser
// bundles (swagger-ui-dist, served as files), which nft took 19 s to read and the lexer 9 s; a
// specifier found inside a string or comment only carries a file that exists.
import { readFileSync } from 'node:fs';
import { builtinModules, createRequire } from 'node:module';
import { isInside, type FileReference } from './references.ts';
import { listFiles } from '../embed/files/walk.ts';

const nodeScript = /\.(c|m)?js$/;
const specifiers = /(?:(?<![\w$.])require\s*\(\s*|\bfrom\s*|(?<![\w$.])import\s*\(\s*|(?<![\w$.])import\s+)(['"])([^'"\s]+)\1/g;
const builtins = new Set(builtinModules);

/** The modules that the scripts of `references`' folders import (transitively), as `module` references not yet among them. */
export function carriedScriptImports(references: FileReference[], root: string): FileReference[] {
  const scripts = [...new Set(references.filter((r) => r.kind === 'folder').flatMap((r) => listFiles(r.path).filter((file) => nodeScript.test(file))))].sort();
  const known = new Set([...scripts, ...references.filter((r) => r.kind !== 'folder').map((r) => r.path)]);
  const found: FileReference[] = [];
  const pending = [...scripts];
  for (let from = pending.shift(); from !== undefined; from = pending.shift()) {
    for (const path of importsOf(from)) {
      if (known.has(path) || !isInside(path, root) || path === root) continue;
      known.add(path);
      found.push({ path, kind: 'module', from, line: 0 });
      if (nodeScript.test(path)) pending.push(path);
    }
  }
  return found;
}

/** The files that `file`'s literal specifiers resolve to (Node's CommonJS resolution; builtins and unresolved names left out). */
function importsOf(file: string): string[] {
  let source: string;
  try { source = readFileSync(file, 'utf8'); } catch { return []; }
  const resolveFrom = createRequire(file);
  const paths = new Set<string>();
  for (const m of source.matchAll(specifiers)) {
    const specifier = m[2]!;
    if (builtins.has(specifier) || specifier.startsWith('node:') || /^[a-z][a-z\d+.-]*:/i.test(specifier)) continue;
    try { paths.add(resolveFrom.resolve(specifier)); } catch { /* not installed, or not a module: node fails the same way when it is loaded */ }
  }
  return [...paths].sort();
}
