// Tree mode's bad input: a module of the app that loads a module by a relative path leading out of
// what the executable carries — out of the app folder (`require('../../elsewhere.js')` from
// build/server.js), or out of a closed build output (one with its own node_modules, whose framework
// traced it: nothing outside it is carried). The executable cannot have that file; at run time the
// load fails as node fails without it (MODULE_NOT_FOUND / ERR_MODULE_NOT_FOUND: the runtime never
// looks beside the tree, runtime-stubs/vfs/modules.ts and esm-hooks.ts). The build says so here.
import type { NodeFileTraceResult } from '@vercel/nft';
import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { isInside } from '../bundle/references.ts';

/** A load by a relative path from `from` (absolute) to `path` (absolute), outside what is carried. */
export interface OutsideLoad {
  path: string;
  from: string;
}

/** The loads of `result` (nft, with `base` = `root`) that leave `carried` (the app folder, or a closed output folder). */
export function loadsOutside(result: NodeFileTraceResult, root: string, carried: string): OutsideLoad[] {
  const found = new Map<string, OutsideLoad>();
  // A package is resolved by name (node_modules): not a path out of the output; those fail or load as under node.
  const isOutside = (path: string): boolean => !isInside(path, carried) && !/(^|\/)node_modules\//.test(relative(root, path).split(sep).join('/'));
  const add = (path: string, from: string): void => {
    if (isOutside(path)) found.set(`${from}\0${path}`, { path, from });
  };
  // Files nft reached outside (they exist on the build machine; the executable does not carry them). nft
  // keeps no parent for a file outside its base: the traced module whose source names the path is it.
  const sources = tracedSources(result, root, carried);
  for (const [rel, reason] of result.reasons) {
    const path = resolve(root, rel);
    if (!isOutside(path) || !reason.type.includes('dependency') || /(^|\/)\.git\//.test(rel)) continue;
    const parents = [...reason.parents].map((p) => resolve(root, p)).filter((p) => isInside(p, carried));
    for (const from of parents.length > 0 ? parents : namingModules(sources(), path)) add(path, from);
  }
  // Relative specifiers nft could not resolve at all, naming a place outside.
  for (const warning of result.warnings) {
    const m = /^Failed to resolve dependency "(\.\.?\/[^"]*)":\n.* loaded from (.+)$/s.exec(warning.message);
    if (!m) continue;
    const from = isAbsolute(m[2]!) ? m[2]! : resolve(root, m[2]!);
    if (isInside(from, carried)) add(resolve(dirname(from), m[1]!), from);
  }
  return [...found.values()].sort((a, b) => (a.from === b.from ? (a.path < b.path ? -1 : 1) : a.from < b.from ? -1 : 1));
}

/** The sources of the traced scripts inside `carried`, read once when first asked for (a file nft named but the disk lacks is left out). */
function tracedSources(result: NodeFileTraceResult, root: string, carried: string): () => Map<string, string> {
  let sources: Map<string, string> | undefined;
  return () => {
    if (sources) return sources;
    sources = new Map();
    for (const rel of result.fileList) {
      const file = resolve(root, rel);
      if (!isInside(file, carried) || !/\.(c|m)?[jt]sx?$/.test(file)) continue;
      try { sources.set(file, readFileSync(file, 'utf8')); } catch { /* not on disk (an "exports" target its publisher left out) */ }
    }
    return sources;
  };
}

/** The modules whose source holds a relative specifier of `path` ('../../x.js' or '../../x'). */
function namingModules(sources: Map<string, string>, path: string): string[] {
  const modules: string[] = [];
  for (const [file, source] of sources) {
    let specifier = relative(dirname(file), path).split(sep).join('/');
    if (!specifier.startsWith('.')) specifier = `./${specifier}`;
    if ([specifier, specifier.replace(/\.(c|m)?js$/, '')].some((s) => source.includes(`'${s}'`) || source.includes(`"${s}"`) || source.includes(`\`${s}\``))) modules.push(file);
  }
  return modules;
}
