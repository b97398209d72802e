// esbuild turns a require() with a computed name, `require('./cli/command.' + name)` or a template
// literal, into a lookup in a map of every file the pattern could name (its `__glob` helper). The
// lookup wants the exact key, so browser-sync's `require(`./cli/command.${name}`)`, which Node resolves
// to command.start.js, fails with "Module not found in bundle", and that error has no MODULE_NOT_FOUND
// code for a package's own catch (optional locales, plugins). The helper is replaced in the output by
// one that tries the names Node's resolver tries, in its order, and throws as Node does.
import { readFile, writeFile } from 'node:fs/promises';

// `var __glob = (map) => (path) => { var fn = map[path]; if (fn) return fn(); throw new Error("Module not found in bundle: " + path); };`
// as esbuild 0.28 writes it, minified or not.
const globHelper = /var ([\w$]+)\s*=\s*\(?([\w$]+)\)?\s*=>\s*\(?([\w$]+)\)?\s*=>\s*\{\s*var ([\w$]+)\s*=\s*\2\[\3\];\s*if\s*\(\4\)\s*return \4\(\);\s*throw new Error\("Module not found in bundle: "\s*\+\s*\3\);?\s*\};?/;

/** The bundle text with esbuild's glob lookup resolving as Node does; the text itself when it has none. */
export function withNodeGlobLookup(code: string): string {
  // LOAD_AS_FILE's names, then LOAD_AS_DIRECTORY's index files (a folder's package.json "main" is not in the map).
  // The replacement keeps the helper's line count: the bundle's source map counts lines.
  return code.replace(globHelper, (helper: string, name: string) => '\n'.repeat(helper.split('\n').length - 1) +
    `var ${name} = (map) => (path) => { var dir = path.replace(/\\/+$/, ""); for (var key of [path, path + ".js", path + ".json", path + ".node", dir + "/index.js", dir + "/index.json", dir + "/index.node"]) { var fn = map[key]; if (fn) return fn(); } throw Object.assign(new Error("Cannot find module '" + path + "'"), { code: "MODULE_NOT_FOUND" }); };`);
}

/** Rewrites the bundle at `path` in place when it has a glob lookup. */
export async function fixGlobLookup(path: string): Promise<void> {
  const code = await readFile(path, 'utf8');
  const fixed = withNodeGlobLookup(code);
  if (fixed !== code) await writeFile(path, fixed);
}
