// TypeScript with `experimentalDecorators` + `emitDecoratorMetadata` (NestJS, TypeORM, Angular-style
// DI): the compiler emits `design:paramtypes` metadata that constructor injection reads; esbuild
// emits none, so Nest fails at run time ("Nest can't resolve dependencies of the ItemsService").
// The app's files that declare decorators under such a tsconfig are compiled by the app's own
// `typescript` (transpileModule, the way ts-node's transpile-only mode and Nest's own tooling do),
// to ES modules that esbuild then bundles as JavaScript; every other file stays esbuild's.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, sep } from 'node:path';

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

/** Thrown when decorator metadata is needed but the app has no compiler that emits it. */
export class NoDecoratorCompilerError extends Error {
  readonly tsconfig: string;
  constructor(tsconfig: string) {
    super(`${tsconfig} sets emitDecoratorMetadata, which esbuild does not emit, and the app has no typescript package to compile those files`);
    this.tsconfig = tsconfig;
  }
}

type Ts = typeof import('typescript');

const typescriptFile = /\.(c|m)?tsx?$/;
// A decorator: `@Name` at the start of a line, or before `class`/a parameter; e-mail addresses in strings are rare enough.
const decorator = /(^|[\s(,])@[A-Za-z_$][\w$.]*\s*[(\n\r]/m;

/** A compiler for the TypeScript files of the app at `appRoot`, recording into `record`. */
export function createDecoratorCompiler(appRoot: string, record: CompiledFiles): DecoratorCompiler {
  const options = new Map<string, Record<string, unknown> | undefined>();
  let ts: Ts | undefined;
  const loadTs = (tsconfig: string): Ts => {
    if (ts) return ts;
    try {
      ts = createRequire(join(appRoot, 'package.json'))('typescript') as Ts;
    } catch {
      throw new NoDecoratorCompilerError(tsconfig);
    }
    record.compiler = `typescript ${ts.version} (the app's)`;
    return ts;
  };
  const optionsFor = (tsconfig: string): Record<string, unknown> | undefined => {
    if (options.has(tsconfig)) return options.get(tsconfig);
    let found: Record<string, unknown> | undefined;
    // Only the JSON matters to decide; `extends` is followed by the compiler itself.
    const text = readTsconfigFlags(tsconfig);
    if (text.emitDecoratorMetadata) {
      const compiler = loadTs(tsconfig);
      const read = compiler.readConfigFile(tsconfig, compiler.sys.readFile);
      const parsed = compiler.parseJsonConfigFileContent(read.config ?? {}, compiler.sys, dirname(tsconfig));
      if (parsed.options.emitDecoratorMetadata && parsed.options.experimentalDecorators) found = parsed.options as Record<string, unknown>;
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
      const compiler = loadTs(tsconfig);
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
      record.files.push(relative(appRoot, file));
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
