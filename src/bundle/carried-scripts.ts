// Scripts carried in the tree (not bundled) because a package loads them by a computed path — a folder
// named by `path.resolve(__dirname, '../cli-engine/formatters', `${name}.js`)` (ESLint's formatters) —
// run under Node's own loader at run time, and their `require()`s are resolved from their place in
// the tree. What they require must be there too, even when the bundle holds a copy of it: the
// bundle's modules have no path (ESLint's stylish.js requires '../../shared/text-table', which was
// only in the bundle: `Cannot find module`). @vercel/nft (the tracer of tree mode,
// src/trace-files) follows each such script's imports; every file it reaches is carried.
import { nodeFileTrace } from '@vercel/nft';
import { readFile } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import { listFiles } from '../embed/files/walk.ts';
import { isInside, type FileReference } from './references.ts';

const nodeScript = /\.(c|m)?js$/;

/** The files that the scripts of `references`' folders import, as `module` references not yet among them. */
export async function carriedScriptImports(references: FileReference[], root: string): Promise<FileReference[]> {
  const scripts = [...new Set(references.filter((r) => r.kind === 'folder').flatMap((r) => listFiles(r.path).filter((file) => nodeScript.test(file))))].sort();
  if (scripts.length === 0) return [];
  const result = await nodeFileTrace(scripts, {
    base: root,
    processCwd: root,
    // Node's own conditions, as in tree mode; seabuild (the build tool) is never part of the app.
    conditions: ['node'],
    ignore: (path: string) => /(^|\/)node_modules\/seabuild(\/|$)/.test(path) || path.includes('node_modules/.cache/'),
    // A file an "exports" map names but the package does not publish fails only when loaded, as under node.
    readFile: async (path: string) => {
      try { return await readFile(path); } catch (error) { if (['ENOENT', 'EISDIR'].includes((error as NodeJS.ErrnoException).code ?? '')) return ''; throw error; }
    },
  });
  const known = new Set([...scripts, ...references.filter((r) => r.kind !== 'folder').map((r) => r.path)]);
  const found: FileReference[] = [];
  for (const rel of [...result.fileList].sort()) {
    const path = isAbsolute(rel) ? rel : resolve(root, rel);
    const reason = result.reasons.get(rel);
    const parent = reason ? [...reason.parents][0] : undefined;
    if (known.has(path) || reason?.ignored || parent === undefined || path === root || !isInside(path, root)) continue;
    found.push({ path, kind: 'module', from: resolve(root, parent), line: 0 });
  }
  return found;
}
