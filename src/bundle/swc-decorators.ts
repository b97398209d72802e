// The decorator compiler for apps whose TypeScript has no JavaScript compiler API: TypeScript 7 (the
// native compiler; `require('typescript')` gives only `{ version }`, measured on 7.0.2), or no
// `typescript` package at all. SWC emits the same legacy decorators and `design:*` metadata as tsc
// with `legacyDecorator` + `decoratorMetadata` (NestJS's own CLI offers it as its builder). Its
// WebAssembly build is portable (no per-platform binary) and is loaded only when a file needs it.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, isAbsolute, join, resolve } from 'node:path';

interface Swc {
  transformSync(source: string, options: Record<string, unknown>): { code: string };
}

/** The compiler options that decide decorator output, from a tsconfig and what it extends. */
export interface DecoratorOptions {
  experimentalDecorators?: boolean;
  emitDecoratorMetadata?: boolean;
  useDefineForClassFields?: boolean;
  target?: string;
}

let swc: { module: Swc; version: string } | undefined;

function loadSwc(): { module: Swc; version: string } {
  if (swc) return swc;
  const require = createRequire(import.meta.url);
  swc = { module: require('@swc/wasm') as Swc, version: (require('@swc/wasm/package.json') as { version: string }).version };
  return swc;
}

/** `swc 1.16.21` for the build's output. */
export function swcVersion(): string {
  return `swc ${loadSwc().version}`;
}

/** ES module JavaScript of one TypeScript file, decorators and their metadata as tsc emits them. */
export function compileWithSwc(file: string, source: string, options: DecoratorOptions): string {
  const target = (options.target ?? 'es2021').toLowerCase();
  // tsc's default: define semantics from ES2022 on (TS 4.x docs, useDefineForClassFields).
  const defineFields = options.useDefineForClassFields ?? (target === 'esnext' || Number(target.replace(/^es/, '')) >= 2022);
  return loadSwc().module.transformSync(source, {
    filename: file,
    sourceMaps: false,
    module: { type: 'es6' },
    jsc: {
      parser: { syntax: 'typescript', tsx: file.endsWith('x'), decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: defineFields },
      target: 'es2022',
      keepClassNames: true,
    },
  }).code;
}

/** The compilerOptions of `tsconfig`, merged over those it `extends` (paths or packages), as tsc reads them. */
export function readDecoratorOptions(tsconfig: string, seen = new Set<string>()): DecoratorOptions {
  if (seen.has(tsconfig)) return {};
  seen.add(tsconfig);
  const json = parseJsonc(readFileSync(tsconfig, 'utf8')) as { extends?: string | string[]; compilerOptions?: DecoratorOptions };
  const bases = json.extends === undefined ? [] : Array.isArray(json.extends) ? json.extends : [json.extends];
  let merged: DecoratorOptions = {};
  for (const base of bases) merged = { ...merged, ...readDecoratorOptions(resolveExtends(base, dirname(tsconfig)), seen) };
  return { ...merged, ...json.compilerOptions };
}

function resolveExtends(base: string, from: string): string {
  if (base.startsWith('.') || isAbsolute(base)) {
    const path = resolve(from, base);
    return path.endsWith('.json') ? path : `${path}.json`;
  }
  const require = createRequire(join(from, 'tsconfig.json'));
  try { return require.resolve(base); } catch { return require.resolve(join(base, 'tsconfig.json')); }
}

/** JSON with comments and trailing commas, as tsconfig files are written. */
export function parseJsonc(text: string): unknown {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '"') {
      const end = stringEnd(text, i);
      out += text.slice(i, end);
      i = end - 1;
    } else if (c === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i++;
      out += '\n';
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? text.length : end + 1;
    } else out += c;
  }
  return JSON.parse(out.replace(/,(\s*[}\]])/g, '$1'));
}

function stringEnd(text: string, start: number): number {
  for (let i = start + 1; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === '"') return i + 1;
  }
  return text.length;
}
