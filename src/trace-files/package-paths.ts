// Files a module names by a path computed from where a package is installed:
//   const npmRoot = path.dirname(require.resolve('npm/package.json'));
//   execFile(process.execPath, [path.join(npmRoot, 'bin', 'npm-cli.js'), '-v'])   (Node-RED)
// nft evaluates `path.join(__dirname, …)` but not a value that starts with require.resolve (its
// resolver is asynchronous, so the static value is lost), and carries only that package.json. This
// pass evaluates the few forms such code takes (require.resolve of a literal, path.dirname,
// path.join/resolve with literal segments, and `const` names bound to those) over the masked source,
// and answers the existing files they name. Nothing else has a value here, so a `.join(', ')` of an
// array never yields a path.
import { existsSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import type { LexedSource } from '../bundle/js-lexer.ts';

/** A file named by a path computed from require.resolve, and the 1-based line that names it. */
export interface PackagePath {
  path: string;
  line: number;
}

interface Parsed { value: string | undefined; end: number }

// `path.join(`, `join(`, `path_1.default.join(`, TypeScript's `(0, path_1.join)(`.
const pathCall = /(?:\(0,\s*)?(?:[\w$]+\.){0,2}(join|resolve|dirname)\)?\s*\(/y;
const resolveCall = /require\.resolve\(\s*/y;
const identifier = /[\w$]+(?!\s*[(.\w$])/y;
const binding = /\b(?:const|let|var)\s+([\w$]+)\s*=\s*/g;

/** The existing files that `file` (absolute) names by a path built from require.resolve of a literal. */
export function findPackagePaths(lexed: LexedSource, file: string): PackagePath[] {
  if (!lexed.source.includes('require.resolve(')) return [];
  const { masked } = lexed;
  const literals = new Map(lexed.strings.map((s) => [s.start, s]));
  const bindings = new Map<string, string | undefined>();
  const skip = (at: number): number => { while (/\s/.test(masked[at] ?? '')) at++; return at; };
  const expect = (at: number, char: string): number | undefined => (masked[skip(at)] === char ? skip(at) + 1 : undefined);

  const parse = (start: number): Parsed => {
    const at = skip(start);
    const literal = literals.get(at);
    if (literal) return { value: literal.value, end: literal.end };
    resolveCall.lastIndex = at;
    if (resolveCall.exec(masked)) {
      const argument = literals.get(resolveCall.lastIndex);
      const end = argument && expect(argument.end, ')');
      return end === undefined ? { value: undefined, end: at + 1 } : { value: resolvedFrom(file, argument!.value), end };
    }
    pathCall.lastIndex = at;
    const call = pathCall.exec(masked);
    if (call) {
      const values: Array<string | undefined> = [];
      let next = pathCall.lastIndex;
      for (;;) {
        const argument = parse(next);
        values.push(argument.value);
        const comma = expect(argument.end, ',');
        if (comma !== undefined) { next = comma; continue; }
        const close = expect(argument.end, ')');
        if (close === undefined) return { value: undefined, end: argument.end };
        return { value: applyPath(call[1]!, values, literals.has(skip(pathCall.lastIndex))), end: close };
      }
    }
    identifier.lastIndex = at;
    const name = identifier.exec(masked);
    if (name) return { value: bindings.get(name[0]), end: identifier.lastIndex };
    return { value: undefined, end: at + 1 };
  };

  const found = new Map<string, PackagePath>();
  // Bindings first, in source order (a name bound twice to different values has none); then every path call.
  for (const m of masked.matchAll(binding)) {
    const { value } = parse(m.index + m[0].length);
    const name = m[1]!;
    bindings.set(name, bindings.has(name) && bindings.get(name) !== value ? undefined : value);
  }
  for (const m of masked.matchAll(/(?<![\w$.])(?:\(0,\s*)?(?!require\.)(?:[\w$]+\.){0,2}(?:join|resolve)\)?\s*\(/g)) {
    const { value } = parse(m.index);
    if (value && !found.has(value) && existsSync(value) && statSync(value).isFile()) found.set(value, { path: value, line: lexed.lineOf(m.index) });
  }
  return [...found.values()];
}

/** path.dirname / path.join / path.resolve of evaluated arguments; a first argument that is a literal is no package path. */
function applyPath(name: string, values: Array<string | undefined>, firstIsLiteral: boolean): string | undefined {
  if (firstIsLiteral || values.some((value) => value === undefined) || !isAbsolute(values[0]!)) return undefined;
  const parts = values as string[];
  if (name === 'dirname') return parts.length === 1 ? dirname(parts[0]!) : undefined;
  return name === 'join' ? join(...parts) : resolve(...parts);
}

function resolvedFrom(file: string, request: string): string | undefined {
  try {
    const resolved = createRequire(file).resolve(request);
    return isAbsolute(resolved) ? resolved : undefined;
  } catch {
    return undefined;
  }
}
