// TypeScript with `experimentalDecorators` + `emitDecoratorMetadata` (NestJS, TypeORM, Angular-style
// DI): the compiler emits `design:paramtypes` metadata that constructor injection reads; esbuild
// emits none, so Nest fails at run time ("Nest can't resolve dependencies of the ItemsService").
// The app's files that declare decorators under such a tsconfig are compiled by the app's own
// `typescript` (transpileModule, the way ts-node's transpile-only mode and Nest's own tooling do),
// or by SWC when that typescript has no compiler API (TypeScript 7) or is not installed
// (swc-decorators.ts), to ES modules that esbuild then bundles as JavaScript; every other file stays esbuild's.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, sep } from 'node:path';
import { compileWithSwc, readDecoratorOptions, swcVersion, type DecoratorOptions } from './swc-decorators.ts';

/** What was compiled and with what, for the build's output. */
export interface CompiledFiles {
  files: string[];
  /** e.g. `typescript 5.9.3 (the app's)`. */
  compiler?: string;
}

/** A compile step for one file: its JavaScript, or undefined when esbuild can take the file as it is. */
export interface DecoratorCompiler {
  compile(file: string, source: string): string | undefined;
}

type Ts = typeof import('typescript');

const typescriptFile = /\.(c|m)?tsx?$/;
// A decorator: `@Name` at the start of a line, or before `class`/a parameter; e-mail addresses in strings are rare enough.
const decorator = /(^|[\s(,])@[A-Za-z_$][\w$.]*\s*[(\n\r]/m;

/** A compiler for the TypeScript files of the app at `appRoot`, recording into `record`. */
export function createDecoratorCompiler(appRoot: string, record: CompiledFiles): DecoratorCompiler {
  const options = new Map<string, Record<string, unknown> | undefined>();
  // The app's own typescript when it has the JavaScript compiler API (up to 6.x), else SWC (swc-decorators.ts).
  let ts: Ts | null | undefined;
  const appTypescript = (): Ts | null => {
    if (ts !== undefined) return ts;
    let found: Partial<Ts> | undefined;
    try { found = createRequire(join(appRoot, 'package.json'))('typescript') as Partial<Ts>; } catch { /* none installed: SWC */ }
    ts = typeof found?.transpileModule === 'function' ? found as Ts : null;
    record.compiler = ts ? `typescript ${ts.version} (the app's)`
      : `${swcVersion()} (${found?.version ? `the app's typescript ${found.version} has no JavaScript compiler API` : 'the app has no typescript package'})`;
    return ts;
  };
  const optionsFor = (tsconfig: string): Record<string, unknown> | undefined => {
    if (options.has(tsconfig)) return options.get(tsconfig);
    let found: Record<string, unknown> | undefined;
    // Only the JSON matters to decide; `extends` is followed by the compiler itself.
    if (readTsconfigFlags(tsconfig).emitDecoratorMetadata) {
      const compiler = appTypescript();
      if (compiler) {
        const read = compiler.readConfigFile(tsconfig, compiler.sys.readFile);
        const parsed = compiler.parseJsonConfigFileContent(read.config ?? {}, compiler.sys, dirname(tsconfig));
        if (parsed.options.emitDecoratorMetadata && parsed.options.experimentalDecorators) found = parsed.options as Record<string, unknown>;
      } else {
        const parsed = readDecoratorOptions(tsconfig);
        if (parsed.emitDecoratorMetadata && parsed.experimentalDecorators) found = parsed as Record<string, unknown>;
      }
    }
    options.set(tsconfig, found);
    return found;
  };
  return {
    compile(file, source) {
      if (!typescriptFile.test(file) || file.endsWith('.d.ts') || file.includes(`${sep}node_modules${sep}`) || !decorator.test(source)) return undefined;
      const tsconfig = nearestTsconfig(dirname(file), appRoot);
      const compilerOptions = tsconfig && optionsFor(tsconfig);
      if (!compilerOptions) return undefined;
      record.files.push(relative(appRoot, file));
      const compiler = appTypescript();
      if (!compiler) return compileWithSwc(file, source, compilerOptions as DecoratorOptions);
      const output = compiler.transpileModule(source, {
        fileName: file,
        compilerOptions: {
          ...compilerOptions,
          // ES modules out, so esbuild still resolves the imports (tsconfig paths included) and bundles them.
          module: compiler.ModuleKind.ESNext,
          sourceMap: false, inlineSourceMap: false, declaration: false, declarationMap: false, emitDeclarationOnly: false, noEmit: false,
          verbatimModuleSyntax: false,
        },
      });
      return output.outputText;
    },
  };
}

function nearestTsconfig(from: string, appRoot: string): string | undefined {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'tsconfig.json'))) return join(dir, 'tsconfig.json');
    if (dir === appRoot || dirname(dir) === dir || relative(appRoot, dir).startsWith('..')) return undefined;
  }
}

/** Whether the tsconfig (or one it extends) mentions emitDecoratorMetadata; a cheap test before loading the compiler. */
function readTsconfigFlags(tsconfig: string): { emitDecoratorMetadata: boolean } {
  try {
    const text = process.getBuiltinModule('node:fs').readFileSync(tsconfig, 'utf8');
    return { emitDecoratorMetadata: /"emitDecoratorMetadata"\s*:\s*true/.test(text) || /"extends"/.test(text) };
  } catch {
    return { emitDecoratorMetadata: false };
  }
}
