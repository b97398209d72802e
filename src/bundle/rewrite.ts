// Source rewrites that let bundled package code find its files in the embedded tree. In one bundle
// every module shares the executable's `__dirname`; each module gets back its own location, and the
// calls that resolve at run time go through the tree (runtime-stubs/vfs/modules.ts):
//   __dirname, __filename, import.meta.url   → the module's path in the tree
//   require.resolve(x)                       → __seabuild.resolve(dir, x)
//   import.meta.resolve(x)                   → __seabuild_import_meta_resolve(<module URL>, x) (import-meta.ts)
//   require(expr), import(expr) (computed)   → __seabuild.requireFrom / __seabuild.import
//   require('bindings')                      → __seabuild.bindings(dir)
//   require(`…${x}….node`) (an addon glob)    → __seabuild.requireFrom
//   new Function('m', 'return import(m)')    → (m) => __seabuild.import(dir, m) (an import() hidden from bundlers)
//   require.main                             → __seabuild.main (the entry's module object)
// In the entry, a CommonJS module hands its `module` to the runtime first (require.main === module),
// and import.meta.main is true there, false elsewhere.
// Literal require()/import() are left to esbuild, which bundles them (and globs `'./x/' + y`).
import { posix } from 'node:path';
import type { LexedSource } from './js-lexer.ts';

interface Edit { start: number; end: number; text: string }

const usesLocation = /\b(__dirname|__filename|import\.meta|require\.resolve|require\.main|require\s*\(|import\s*\(|new\s+Function\()/;
// A top-level import/export statement: the module is ESM, and has no CommonJS `module` to hand over.
const esmSyntax = /(?:^|[;}\n])\s*(?:import\s*(?:[\w$*{]|['"])|export\s*(?:[\w$*{]|default\b))/;

/** Rewrites one module; `fileRel` is its tree path (e.g. `node_modules/figlet/dist/node-figlet.cjs`). Undefined when nothing changes. */
export function rewriteModule(lexed: LexedSource, fileRel: string, options: { entry?: boolean } = {}): string | undefined {
  const { source, masked } = lexed;
  const entry = options.entry === true;
  if (!entry && !usesLocation.test(masked)) return undefined;
  const dirRel = JSON.stringify(posix.dirname(fileRel) === '.' ? '' : posix.dirname(fileRel));
  const edits: Edit[] = [];
  const replaceAll = (pattern: RegExp, text: (m: RegExpExecArray) => string): void => {
    for (const m of masked.matchAll(pattern)) {
      // `require(keys) { … }` is a method definition (yargs has one), not a call.
      if (isMethodDefinition(masked, m.index + m[0].length - 1)) continue;
      edits.push({ start: m.index, end: m.index + m[0].length, text: text(m as RegExpExecArray) });
    }
  };
  // require('bindings') — the quotes survive masking, the name does not: check the original text.
  for (const m of masked.matchAll(/(?<![\w$.])require\(\s*(['"])\s*\1\s*\)/g)) {
    const call = source.slice(m.index, m.index + m[0].length);
    if (/^require\(\s*['"]bindings['"]\s*\)$/.test(call)) {
      edits.push({ start: m.index, end: m.index + m[0].length, text: `__seabuild.bindings(${dirRel})` });
    } else if (/^require\(\s*['"](node:)?punycode['"]\s*\)$/.test(call) && fileRel.startsWith('node_modules/')) {
      // Node warns (DEP0040) when punycode is loaded from outside node_modules, which in one bundle is every module.
      edits.push({ start: m.index, end: m.index + m[0].length, text: '__seabuild_builtin_from_package("punycode")' });
    }
  }
  // require(`../build/${platform}.node`): esbuild would glob it and fail when no file matches (sharp.cjs
  // names addons of other builds this way inside a try); an addon is never bundled, so the tree answers at run time.
  for (const m of masked.matchAll(/(?<![\w$.])require\(\s*`/g)) {
    const call = /^require\(\s*`[^`]*\$\{[^`]*\.node`\s*\)/.exec(source.slice(m.index, m.index + 400));
    if (call) edits.push({ start: m.index, end: m.index + 'require('.length, text: `__seabuild.requireFrom(${dirRel}, ` });
  }
  // An import() hidden from bundlers: its referrer would be the bundle, not this module, so relative specifiers would miss.
  for (const m of source.matchAll(/new\s+Function\(\s*(['"])([\w$]+)\1\s*,\s*(['"])return\s+import\(\s*\2\s*\);?\3\s*\)/g)) {
    if (masked[m.index] === 'n') edits.push({ start: m.index, end: m.index + m[0].length, text: `((${m[2]}) => __seabuild.import(${dirRel}, ${m[2]}))` });
  }
  replaceAll(/(?<![\w$.])require\.resolve\(/g, () => `__seabuild.resolve(${dirRel}, `);
  replaceAll(/(?<![\w$.])import\.meta\.resolve\(/g, () => '__seabuild_import_meta_resolve(__seabuild_import_meta_url, ');
  for (const m of masked.matchAll(/(?<![\w$.])require\.main\b/g)) edits.push({ start: m.index, end: m.index + m[0].length, text: '__seabuild.main' });
  replaceAll(/(?<![\w$.]|function\s)require\((?=\s*[^\s'"`)])/g, () => `__seabuild.requireFrom(${dirRel}, `);
  replaceAll(/(?<![\w$.])import\((?=\s*[^\s'"`)])/g, () => `__seabuild.import(${dirRel}, `);
  const declarations: string[] = [];
  const declares = (name: string): boolean => new RegExp(`\\b(?:var|let|const|function|class)\\s+${name}\\b`).test(masked);
  if (/\b__dirname\b/.test(masked) && !declares('__dirname')) declarations.push(`__dirname = __seabuild.dir(${dirRel})`);
  if (/\b__filename\b/.test(masked) && !declares('__filename')) declarations.push(`__filename = __seabuild.dir(${JSON.stringify(fileRel)})`);
  // src/bundle/index.ts defines import.meta.url/dirname/filename as these identifiers; module-level vars bind them.
  if (/\bimport\.meta\b/.test(masked)) {
    declarations.push(`__seabuild_import_meta_url = __seabuild.url(${JSON.stringify(fileRel)})`);
    declarations.push(`__seabuild_import_meta_dirname = __seabuild.dir(${dirRel})`, `__seabuild_import_meta_filename = __seabuild.dir(${JSON.stringify(fileRel)})`);
    declarations.push(`__seabuild_import_meta_main = ${entry}`);
  }
  // runtime-stubs/launch.ts gives __seabuild a setMain before it requires the entry.
  if (entry && !esmSyntax.test(masked) && !/\.(mjs|mts)$/.test(fileRel)) declarations.push(`__seabuild_main_module = __seabuild.setMain(module)`);
  if (edits.length === 0 && declarations.length === 0) return undefined;
  let out = '';
  let at = 0;
  for (const edit of edits.sort((a, b) => a.start - b.start)) {
    if (edit.start < at) continue;
    out += source.slice(at, edit.start) + edit.text;
    at = edit.end;
  }
  out += source.slice(at);
  if (declarations.length === 0) return out;
  // Declarations go on the first line of code, after a hashbang and the directive prologue
  // ("use strict" must stay first to keep its meaning), without adding a line: positions in
  // warnings and stack traces still match the original file.
  const insertAt = prologueEnd(out);
  // A directive may lack its semicolon ('use strict' then a newline): the `;` ends it either way.
  return `${out.slice(0, insertAt)};var ${declarations.join(', ')};${out.slice(insertAt)}`;
}

function isMethodDefinition(masked: string, open: number): boolean {
  let depth = 0;
  for (let i = open; i < masked.length; i++) {
    if (masked[i] === '(') depth++;
    else if (masked[i] === ')' && --depth === 0) return /^\s*\{/.test(masked.slice(i + 1, i + 40));
  }
  return false;
}

function prologueEnd(source: string): number {
  const match = /^(#![^\n]*\n)?(?:\s|\/\/[^\n]*\n|\/\*[\s\S]*?\*\/)*(?:(['"])use strict\2;?)?/.exec(source);
  const end = match?.[0].length ?? 0;
  return match?.[2] ? end : (match?.[1]?.length ?? 0);
}
