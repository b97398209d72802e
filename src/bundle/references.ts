// Files a module opens at run time by path rather than by import, found by reading its source:
//   path.join(__dirname, 'a', 'b') / path.resolve(__dirname, …) / __dirname + '/a' / `${__dirname}/a`
//   new URL('./a', import.meta.url)
//   require.resolve('pkg/file'), import.meta.resolve('pkg/file')
// and, in modules that compute paths from their own location, any string literal that names an
// existing file or folder of the same package (sql.js's "sql-wasm.wasm", figlet's "/../fonts/").
// A JavaScript file found through an explicit form is an entry (a worker, a forked script): it is
// bundled on its own. Everything else is data, embedded as it is.
import { existsSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { LexedSource } from './js-lexer.ts';

/** A file or folder a module refers to. */
export interface FileReference {
  path: string;
  /** `entry`: a script to bundle on its own; `data`: bytes read at run time; `folder`: a folder named by an
   * explicit path form (every file in it: the program opens them by name); `data-folder`: a folder named by a bare literal (its non-script files);
   * `esm`: an ES module imported at run time through a hidden `import()` (Node's loader runs it as it is: its package is carried whole);
   * `module`: a file that a script carried in a folder imports (carried-scripts.ts): it must be in the tree beside that script. */
  kind: 'entry' | 'data' | 'folder' | 'data-folder' | 'esm' | 'module';
  /** For a worker transport named by a module specifier (`target: 'pino-pretty'`): that specifier. */
  specifier?: string;
  /** The module that refers to it, and the 1-based line (0 for a `module`: the tracer names no line). */
  from: string;
  line: number;
}

// Type declarations are data: a compiler reads its lib.*.d.ts at run time.
const hiddenImport = /(?:var|let|const)\s+([\w$]+)\s*=\s*new\s+Function\(\s*(['"])([\w$]+)\2\s*,\s*(['"])return\s+import\(\s*\3\s*\);?\4\s*\)/g;
const scriptFile = /(?<!\.d)\.(c|m)?[jt]s$/;
const explicitForms: Array<{ pattern: RegExp; base: 'dir' | 'url' | 'package' | 'transport' }> = [
  // Literals, then maybe a computed name: `join(__dirname, '../client-dist/', filename)` (socket.io) names the folder.
  // TypeScript's CommonJS output calls it as `(0, path_1.join)(__dirname, '../x')` (hexo-cli).
  { pattern: /(?:join|resolve)\)?\(\s*__dirname\s*((?:,\s*(?:'[^'\n]*'|"[^"\n]*")\s*)+)[,)]/g, base: 'dir' },
  { pattern: /__dirname\s*\+\s*((?:'[^'\n]*'|"[^"\n]*"))/g, base: 'dir' },
  { pattern: /`\$\{__dirname\}([^`$]*)`/g, base: 'dir' },
  { pattern: /new\s+URL\(\s*((?:'[^'\n]*'|"[^"\n]*"))\s*,\s*import\.meta\.url\s*\)/g, base: 'url' },
  { pattern: /require\.resolve\(\s*((?:'[^'\n]*'|"[^"\n]*"))\s*\)/g, base: 'package' },
  // A data file of another package by specifier (@fontsource/x/files/x.woff2), from an ES module.
  { pattern: /import\.meta\.resolve\(\s*((?:'[^'\n]*'|"[^"\n]*"))\s*\)/g, base: 'package' },
  // A worker transport named by package (pino's `transport: { target: 'pino-pretty' }`): resolved at run time
  // from the caller's file, which a bundle does not have; the runtime maps the name to the bundled script.
  { pattern: /\btarget\s*:\s*((?:'[^'\n]*'|"[^"\n]*"))/g, base: 'transport' },
];

/** The references of one module at `file` (absolute); `boundary` is the folder literals may not leave (its package, or the app). */
export function findReferences(lexed: LexedSource, file: string, boundary: string): FileReference[] {
  const { source, masked } = lexed;
  const found = new Map<string, FileReference>();
  const add = (target: string, explicit: boolean, offset: number, specifier?: string): void => {
    const path = resolve(target);
    if (path === file || path === dirname(file) || path === boundary) return;
    // A bare literal stays within its own package (the app's literals never reach into node_modules).
    const reachable = explicit ? isInside(path, boundary) || path.includes(`${sep}node_modules${sep}`) : isInside(path, boundary) && !relative(boundary, path).split(sep).includes('node_modules');
    if (!reachable) return;
    if (!existsSync(path) || found.has(path)) return;
    // A script named by a bare literal is read as text, not started (browser-sync-ui's fileContent("x.client.js")).
    const kind = statSync(path).isDirectory() ? (explicit ? 'folder' : 'data-folder') : explicit && scriptFile.test(path) ? 'entry' : 'data';
    if (kind === 'entry' && specifier !== undefined) found.set(path, { path, kind, from: file, line: lexed.lineOf(offset), specifier });
    else if (specifier === undefined || kind === 'entry') found.set(path, { path, kind, from: file, line: lexed.lineOf(offset) });
  };
  // `const require = createRequire(import.meta.url)` in an ES module: its require('x') calls are invisible to
  // the bundler (a local function), so each package or file they name is bundled on its own, like require.resolve.
  const localRequire = /\b(?:const|let|var)\s+require\s*=\s*[\w$.]*createRequire\(/.test(masked);
  for (const { pattern, base } of localRequire ? [...explicitForms, { pattern: /(?<![\w$.])require\(\s*((?:'[^'\n]*'|"[^"\n]*"))\s*\)/g, base: 'package' as const }] : explicitForms) {
    for (const m of masked.matchAll(new RegExp(pattern.source, 'g'))) {
      const original = source.slice(m.index, m.index + m[0].length);
      const args = literalsIn(new RegExp(pattern.source).exec(original)?.[1] ?? '', base === 'dir' && m[0].startsWith('`'));
      if (args.length === 0) continue;
      const targets = base === 'dir' ? bases(file).map((b) => join(b, ...args))
        : base === 'url' ? [fileURLToPath(new URL(args[0]!, pathToFileURL(file)))]
        : [resolvePackageFile(file, args[0]!)];
      for (const target of targets) if (target) add(target, true, m.index, base === 'transport' ? args[0] : undefined);
    }
  }
  // `const load = new Function('m', 'return import(m)')` hides import() from bundlers (prettier's bin): the
  // relative files it is called with are ES modules for Node's own loader.
  for (const fn of source.matchAll(hiddenImport)) {
    if (masked[fn.index] !== fn[0][0]) continue;
    for (const call of masked.matchAll(new RegExp(`(?<![\\w$.])${fn[1]}\\(\\s*(['"])`, 'g'))) {
      const literal = lexed.strings.find((s) => s.start === call.index + call[0].length - 1);
      if (!literal || !/^\.\.?\//.test(literal.value)) continue;
      const path = resolve(dirname(file), literal.value);
      if (existsSync(path) && !found.has(path)) found.set(path, { path, kind: 'esm', from: file, line: lexed.lineOf(call.index) });
    }
  }
  // `path.resolve(__dirname)` hands out a package's own folder: swagger-ui-dist's getAbsoluteFSPath(),
  // which apps give express.static, so every file in it, its browser scripts too, is served.
  const ownFolder = /(?:join|resolve)\(\s*__dirname\s*\)/.exec(masked);
  if (ownFolder && file.includes(`${sep}node_modules${sep}`) && !found.has(dirname(file))) {
    found.set(dirname(file), { path: dirname(file), kind: 'folder', from: file, line: lexed.lineOf(ownFolder.index) });
  }
  // esbuild's sync API runs its own module as a worker: `new Worker(__filename)`.
  const self = /new\s+[\w$.]*Worker\(\s*__filename\b/.exec(masked);
  if (self) found.set(file, { path: file, kind: 'entry', from: file, line: lexed.lineOf(self.index) });
  if (/\b(__dirname|__filename|import\.meta)\b/.test(masked)) {
    for (const literal of lexed.strings) {
      // Specifiers of import/require are esbuild's business (it bundles them).
      if (!looksLikePath(literal.value) || /(\bfrom|\bimport|\brequire\s*\(|\bimport\s*\()\s*$/.test(masked.slice(Math.max(0, literal.start - 20), literal.start))) continue;
      for (const base of bases(file)) add(join(base, literal.value), false, literal.start);
    }
  }
  return [...found.values()];
}

/** What a module's "__dirname" may be: its folder, or (a common slip, e.g. yargs's ESM shim) its own path. */
function bases(file: string): string[] {
  return [dirname(file), file];
}

/** A relative path with a name in it: `a/b`, `../fonts/`, `x.wasm`; not `./`, `..`, URLs or sentences. */
function looksLikePath(value: string): boolean {
  if (value.length === 0 || value.length > 200 || !/^[\w@./+-]+$/.test(value) || value.includes('//')) return false;
  if (!/[\w@-]/.test(value.replace(/\.\.?(?=\/|$)/g, ''))) return false;
  return value.includes('/') || /\.[a-z0-9]{1,8}$/i.test(value);
}

function literalsIn(text: string, isTemplate: boolean): string[] {
  if (isTemplate) return [text];
  return [...text.matchAll(/'([^'\n]*)'|"([^"\n]*)"/g)].map((m) => m[1] ?? m[2] ?? '');
}

function resolvePackageFile(from: string, request: string): string | undefined {
  try {
    const resolved = createRequire(from).resolve(request);
    return resolved.startsWith('/') ? resolved : undefined;
  } catch {
    return undefined;
  }
}

/** True when `path` is `dir` or lies under it. */
export function isInside(path: string, dir: string): boolean {
  const rel = relative(dir, resolve(path));
  return rel === '' || (!rel.startsWith('..') && !rel.startsWith(sep));
}
