// Decorator metadata (`design:paramtypes`, what NestJS's constructor injection reads) for apps whose
// typescript package has no JavaScript compiler API. TypeScript 7 (the native compiler) publishes
// `require('typescript')` as lib/version.cjs, the three lines below (7.0.2, verbatim); before, the
// build failed with "Cannot read properties of undefined (reading 'readFile')" from the plugin.
// The executable must print what node prints for the app compiled by tsc 5 (the reference below).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { execa } from 'execa';
import { node24, seabuildBin } from './helpers/fixture.ts';

const app: Record<string, string> = {
  'package.json': JSON.stringify({ name: 'di', version: '1.0.0', main: 'src/main.ts' }),
  // `extends` and comments, as generators write tsconfig files.
  'tsconfig.base.json': '{\n  // shared\n  "compilerOptions": { "experimentalDecorators": true, "emitDecoratorMetadata": true, "target": "ES2021", },\n}\n',
  'tsconfig.json': '{ "extends": "./tsconfig.base.json", "compilerOptions": { "strict": true } }\n',
  'src/main.ts': [
    "import { Repo } from './repo';",
    'const seen = new Map<unknown, unknown>();',
    // What reflect-metadata provides: the emitted code calls Reflect.metadata when it is a function.
    '(Reflect as any).metadata = (key: string, value: unknown) => (target: object, property?: string) => { if (key === "design:paramtypes") seen.set(property ?? target, value); };',
    'const Injectable = () => (target: unknown) => target;',
    'const Inject = (token: string) => (_t: object, _k: string | undefined, index: number) => seen.set(`param ${index}`, token);',
    '@Injectable()',
    'export class Service { constructor(readonly repo: Repo, @Inject("NAME") readonly name: string, readonly size: number) {} }',
    'for (const [key, value] of seen) console.log(typeof key === "function" ? key.name : key, Array.isArray(value) ? value.map((v) => v.name) : value);',
  ].join('\n'),
  'src/repo.ts': 'export class Repo {}\n',
  'node_modules/typescript/package.json': JSON.stringify({ name: 'typescript', version: '7.0.2', main: './lib/version.cjs', exports: { '.': './lib/version.cjs', './package.json': './package.json' } }),
  'node_modules/typescript/lib/version.cjs': 'const { version } = require("../package.json");\nexports.version = version;\nexports.versionMajorMinor = "7.0";\n',
};

test('TypeScript 7 in the app: files with decorators are compiled by SWC, with the metadata tsc emits', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'seabuild-decorators-'));
  try {
    for (const [file, text] of Object.entries(app)) {
      mkdirSync(dirname(join(dir, file)), { recursive: true });
      writeFileSync(join(dir, file), text);
    }
    const built = await execa(node24, [seabuildBin, 'build', '--no-image', '--out-dir', 'out'], { cwd: dir, reject: false, all: true });
    assert.equal(built.exitCode, 0, built.all);
    assert.match(built.all ?? '', /compiled 1 files? with swc [\d.]+ \(the app's typescript 7\.0\.2 has no JavaScript compiler API\)/);
    const run = await execa(join(dir, 'out/di'), [], { reject: false });
    // What the same source compiled by tsc 5.9.3 (transpileModule, CommonJS) prints under node 24 (measured).
    assert.deepEqual({ stdout: run.stdout, exitCode: run.exitCode }, { stdout: "Service [ 'Repo', 'String', 'Number' ]\nparam 1 NAME", exitCode: 0 });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
