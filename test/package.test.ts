// seabuild as npm users get it: the tarball `npm pack` makes (compiled at prepack, scripts/package.ts),
// installed into an empty project, then under plain Node 22, 24 and 26 with no loader hook: the CLI
// builds a tiny http server, the library and seabuild/runtime import from ES modules and CommonJS,
// and a strict TypeScript consumer type-checks against the published .d.ts files.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { execa } from 'execa';
import { node24, repoRoot } from './helpers/fixture.ts';
import { nodeBinary, otherNodeVersions } from './helpers/node-versions.ts';
import { startServer, httpRequest } from './helpers/http.ts';
import { requireRoot } from './helpers/engines.ts';

const repoManifest = JSON.parse(await readFile(join(repoRoot, 'package.json'), 'utf8'));
// The Node that runs seabuild here (the node@24 devDependency) and the other versions users ship on.
const versions = [otherNodeVersions[0]!, repoManifest.devDependencies.node as string, otherNodeVersions[1]!];
const nodeBins = new Map<string, string>();
let packDir: string;
let tarball: string;
let app: string;
let manifestBefore: string;

// The outer `npm test` exports its own npm_* settings (its package, its lifecycle, the machine's
// nodedir): the user's npm in their own project sees none of them.
function userEnv(nodeBin: string, extra: Record<string, string> = {}): Record<string, string> {
  const env = Object.fromEntries(Object.entries(process.env).filter((e): e is [string, string] => e[1] !== undefined && !/^npm_(package|lifecycle|config_(local_prefix|prefix|global|nodedir))/i.test(e[0])));
  return { ...env, PATH: `${dirname(nodeBin)}:${process.env.PATH ?? ''}`, SOURCE_DATE_EPOCH: '1700000000', ...extra };
}

const files: Record<string, string> = {
  'package.json': JSON.stringify({ name: 'tiny-web', version: '1.0.0', type: 'module', main: 'server.js', private: true }, null, 2),
  'server.js': `import { createServer } from 'node:http';\ncreateServer((req, res) => res.end('hello from ' + process.version + '\\n')).listen(Number(process.env.PORT ?? 3000), '127.0.0.1', () => console.log('listening on ' + process.env.PORT));\n`,
  'esm.mjs': `import { build, defineConfig, SeabuildError } from 'seabuild';\nimport { runApp } from 'seabuild/runtime';\nconsole.log(JSON.stringify([typeof build, typeof defineConfig, new SeabuildError({ code: 'USAGE', message: 'm' }).code, typeof runApp]));\n`,
  'cjs.cjs': `const { build, defineConfig, SeabuildError } = require('seabuild');\nconst { runApp } = require('seabuild/runtime');\nconsole.log(JSON.stringify([typeof build, typeof defineConfig, new SeabuildError({ code: 'USAGE', message: 'm' }).code, typeof runApp]));\n`,
  // Development mode of a runApp app: its own TypeScript runs under plain node, seabuild/runtime compiled.
  'dev.ts': `import { runApp, type ServeContext } from 'seabuild/runtime';\nrunApp({ serve: (ctx: ServeContext) => (_req, res) => { res.end(String(ctx.port)); } });\n`,
  'tsconfig.json': JSON.stringify({ compilerOptions: { strict: true, module: 'nodenext', moduleResolution: 'nodenext', target: 'es2023', exactOptionalPropertyTypes: true, skipLibCheck: true, noEmit: true, types: ['node'] }, include: ['consumer.ts', 'consumer.cts', 'dev.ts'] }),
  'consumer.ts': [
    `import { build, defineConfig, SeabuildError, readReport, checkBudget, type BuildResult, type ErrorCode } from 'seabuild';`,
    `export default defineConfig({ assets: 'public', image: { name: 'acme/web' }, verify: { env: { DATABASE_URL: 'postgres://db/app' } } });`,
    `export async function release(): Promise<string> {`,
    `  try {`,
    `    const result: BuildResult = await build({ cwd: '.', image: false });`,
    `    const over = checkBudget(await readReport('dist/tiny-web.report.json'), { kind: 'compressed', limitBytes: 1e8 });`,
    `    return over.ok ? result.platforms[0]!.executable.path : result.warnings.map((w) => w.message).join('\\n');`,
    `  } catch (error) {`,
    `    if (error instanceof SeabuildError) { const code: ErrorCode = error.code; if (code === 'ENTRY_NOT_FOUND') return error.fix ?? ''; }`,
    `    throw error;`,
    `  }`,
    `}`,
    // The types are real, not any: these two lines must be errors.
    `// @ts-expect-error not an error code`,
    `export const wrong: ErrorCode = 'NO_SUCH_CODE';`,
    `// @ts-expect-error a path is a string`,
    `export const size: number = (await build()).platforms[0]!.executable.path;`,
  ].join('\n'),
  'consumer.cts': `import seabuild = require('seabuild');\nimport runtime = require('seabuild/runtime');\nexport const kinds: string[] = [typeof seabuild.build, typeof runtime.runApp];\n`,
};

before(async () => {
  for (const version of versions) nodeBins.set(version, version === repoManifest.devDependencies.node ? node24 : await nodeBinary(version));
  manifestBefore = await readFile(join(repoRoot, 'package.json'), 'utf8');
  packDir = await mkdtemp(join(tmpdir(), 'seabuild-pack-'));
  await execa('npm', ['pack', '--silent', '--pack-destination', packDir], { cwd: repoRoot, env: userEnv(node24) });
  tarball = join(packDir, (await readdir(packDir)).find((f) => f.endsWith('.tgz'))!);
  app = await mkdtemp(join(tmpdir(), 'seabuild-user-'));
  for (const [name, text] of Object.entries(files)) await writeFile(join(app, name), text);
  // Offline-capable: every package is in npm's cache after `npm ci` of the checkout (same versions).
  const devTools = ['@types/node', 'typescript'].map((name) => `${name}@${repoManifest.devDependencies[name]}`);
  await execa('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '-D', tarball, ...devTools], { cwd: app, env: userEnv(node24) });
});
after(async () => {
  await rm(packDir, { recursive: true, force: true });
  await rm(app, { recursive: true, force: true });
});

test('npm pack leaves the checkout as it was and ships only what users run', async () => {
  assert.equal(await readFile(join(repoRoot, 'package.json'), 'utf8'), manifestBefore, 'postpack puts the checkout manifest back');
  const { stdout } = await execa('tar', ['tzf', tarball]);
  const entries = stdout.split('\n').map((e) => e.replace(/^package\//, ''));
  const unexpected = entries.filter((e) => !/^(package\.json|README\.md|LICENSE|Dockerfile\.scratch|bin\/seabuild\.js|docs\/[\w-]+\.md)$/.test(e) && !/^dist\/(src|runtime-stubs)\/.+(\.js|\.d\.ts|\.cjs)$/.test(e));
  assert.deepEqual(unexpected, []);
  assert.deepEqual(entries.filter((e) => /\.test\.|testdata|\/test\//.test(e) || (e.endsWith('.ts') && !e.endsWith('.d.ts'))), []);
  const published = JSON.parse(await readFile(join(app, 'node_modules/seabuild/package.json'), 'utf8'));
  assert.deepEqual(Object.keys(published.exports), ['.', './runtime', './package.json']);
});

for (const version of versions) {
  test(`under node ${version}: npx seabuild build, the executable serves, ESM and CommonJS imports, development mode`, async () => {
    const bin = nodeBins.get(version)!;
    const outDir = `out-${version}`;
    const built = await execa('npx', ['seabuild', 'build', '--no-image', '--out-dir', outDir], { cwd: app, env: userEnv(bin), reject: false, all: true });
    assert.equal(built.exitCode, 0, built.all);
    assert.doesNotMatch(built.all ?? '', /Warning|seabuild: warning/);
    const exe = join(app, outDir, 'tiny-web');
    assert.match((await execa(exe, ['version'])).stdout, new RegExp(`^tiny-web 1\\.0\\.0\\nnode +v${version.replaceAll('.', '\\.')}$`, 'm'));
    const served = await startServer(exe, [], {});
    try {
      assert.equal((await httpRequest(served.port, '/')).body.toString(), `hello from v${version}\n`);
    } finally {
      served.child.kill('SIGTERM');
      assert.deepEqual(await served.exited, { code: 0, signal: null });
    }
    const expected = JSON.stringify(['function', 'function', 'USAGE', 'function']);
    for (const module of ['esm.mjs', 'cjs.cjs']) {
      const run = await execa(bin, [module], { cwd: app, env: userEnv(bin) });
      assert.equal(run.stdout, expected, module);
      assert.equal(run.stderr, '', module);
    }
    const dev = await execa(bin, ['dev.ts', 'version'], { cwd: app, env: userEnv(bin) });
    assert.match(dev.stdout, /built\s+from source/);
    assert.equal(dev.stderr, '');
  });
}

test('under node 24: an image build from the installed package (smoke run in the rootfs, a docker build context)', async (t) => {
  if (!requireRoot(t, 'the smoke run chroots into the rootfs')) return;
  const built = await execa('npx', ['seabuild', 'build', '--out-dir', 'out-image', '--context', 'out-image/context'], { cwd: app, env: userEnv(node24), reject: false, all: true });
  assert.equal(built.exitCode, 0, built.all);
  assert.match(built.all ?? '', /smoke run passed \(chroot, served HTTP 200/);
  assert.match(await readFile(join(app, 'out-image/context/Dockerfile.scratch'), 'utf8'), /^FROM scratch$/m);
  const { stdout } = await execa('tar', ['tf', join(app, 'out-image/tiny-web.image.tar')]);
  assert.match(stdout, /^index\.json$/m);
});

test('under node 24: a runApp app builds from the installed package, with the runtime\'s stubs for development-only modules', async () => {
  const built = await execa('npx', ['seabuild', 'build', '--entry', 'dev.ts', '--no-image', '--out-dir', 'out-runapp'], { cwd: app, env: userEnv(node24), reject: false, all: true });
  assert.equal(built.exitCode, 0, built.all);
  assert.match((await execa(join(app, 'out-runapp/tiny-web'), ['help'])).stdout, /^Usage: tiny-web/);
  // The compiled runtime's dev-source.js (which reads migrations from disk) is swapped for its stub.
  const files = [...(await readFile(join(app, 'out-runapp/tiny-web.report.json'), 'utf8')).matchAll(/"seabuild\/dist\/runtime-stubs\/[^"]*dev-source\.js"/g)].map((m) => m[0]);
  assert.deepEqual([...new Set(files)], ['"seabuild/dist/runtime-stubs/stubs/dev-source.js"']);
});

test('a strict TypeScript consumer (nodenext, exactOptionalPropertyTypes, skipLibCheck) type-checks with zero errors', async () => {
  const checked = await execa(node24, [join(app, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'], { cwd: app, reject: false, all: true });
  assert.equal(checked.exitCode, 0, checked.all);
  assert.equal(checked.all, '');
});

test('an old Node gets one clear line from the installed CLI, not a stack trace', async () => {
  const old = await execa('/usr/bin/node', [join(app, 'node_modules/seabuild/bin/seabuild.js'), 'version'], { reject: false });
  assert.equal(old.exitCode, 1);
  assert.match(old.stderr, /^seabuild: error: Node v20\.\d+\.\d+ is too old/);
});
