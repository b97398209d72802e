// `npm pack`/`npm publish` lifecycle: what the tarball holds differs from the checkout.
//   prepack:  compile src/ and runtime-stubs/ to dist/ (JavaScript + .d.ts, tsconfig.build.json) and
//             point package.json's exports at dist/, keeping the checkout's package.json aside;
//   postpack: put the checkout's package.json back.
// Why: Node refuses to strip TypeScript under node_modules (ERR_UNSUPPORTED_NODE_MODULES_TYPE_STRIPPING),
// so the installed package must be JavaScript; while in a checkout (and every app linked to it, such
// as examples/kitteh and the test fixtures) `seabuild/runtime` resolves to the TypeScript sources that
// Node runs directly. A custom export condition would make every `node src/main.ts` of a linked app
// need `--conditions`; swapping the one manifest at pack time needs nothing.
// tsc alone emits both JavaScript and .d.ts: declarations need the whole type-checked program anyway
// (measured: 19.0 s CPU for tsc's full emit, 18.8 s for --emitDeclarationOnly, esbuild's JS 0.25 s on top).
import { copyFile, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { existsSync, globSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { execFileSync } from 'node:child_process';

const root = resolve(import.meta.dirname, '..');
const manifest = join(root, 'package.json');
const kept = join(root, '.tmp/package.checkout.json');

/** The published form of an export target: `./src/x.ts` → types and code under dist/. */
function compiled(target: string): { types: string; default: string } {
  const js = `./dist/${target.slice(2).replace(/\.ts$/, '.js')}`;
  return { types: js.replace(/\.js$/, '.d.ts'), default: js };
}

async function prepack(): Promise<void> {
  // A pack that was interrupted left the published manifest in place: start from the kept one.
  if (existsSync(kept)) await rename(kept, manifest);
  await rm(join(root, 'dist'), { recursive: true, force: true });
  execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
  // Plain CommonJS files that src/ starts as child processes or preloads by path; tsc copies no JS.
  for (const file of globSync('src/**/*.cjs', { cwd: root })) {
    await mkdir(join(root, 'dist', file, '..'), { recursive: true });
    await copyFile(join(root, file), join(root, 'dist', file));
  }
  const text = await readFile(manifest, 'utf8');
  const pkg = JSON.parse(text) as { exports: Record<string, string | object>; types?: string };
  await mkdir(join(root, '.tmp'), { recursive: true });
  await writeFile(kept, text);
  pkg.exports = Object.fromEntries(Object.entries(pkg.exports).map(([key, target]) => [key, typeof target === 'string' && target.endsWith('.ts') ? compiled(target) : target]));
  pkg.types = compiled('./src/index.ts').types;
  await writeFile(manifest, `${JSON.stringify(pkg, null, 2)}\n`);
}

async function postpack(): Promise<void> {
  if (existsSync(kept)) await rename(kept, manifest);
}

const step = process.argv[2];
if (step === 'prepack') await prepack();
else if (step === 'postpack') await postpack();
else throw new Error(`usage: node scripts/package.ts prepack|postpack (got ${step})`);
