// Tree mode (issue 22): the app is not bundled; the files @vercel/nft traces are carried at their own
// paths and Node's own loaders run the entry. test/tree-mode/app holds a CommonJS and an ES module
// service that load modules by computed paths and serve a static folder from disk (serve-static:
// stat + ranged streams; sirv: a directory walk at start), installed from its lockfile. Each
// executable starts from an empty folder (no node_modules, no sources) and must answer as
// `node ENTRY` does in the app folder. ETag and Last-Modified are left out of the comparison: the
// tree's files carry SOURCE_DATE_EPOCH as their mtime (deterministic builds), the checkout its own.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFile, cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { build } from '../src/index.ts';
import { node24, repoRoot, seabuildBin } from './helpers/fixture.ts';
import { freePort } from './helpers/http.ts';
import { askAll, runEnv, startService, type RecordedAnswer } from './helpers/corpus-run.ts';
import type { CorpusRequest } from './corpus/entries.ts';

const fixture = join(repoRoot, 'test/tree-mode/app');
const unstable = ['etag', 'last-modified'];
const range = { Range: 'bytes=100-199' };

const cjsRequests: CorpusRequest[] = [
  { path: '/plugins' }, { path: '/main' }, { path: '/cwd' }, { path: '/listing' }, { path: '/missing' }, { path: '/spawn' }, { path: '/spawn-esm' }, { path: '/spawn-missing' }, { path: '/fork' },
  { path: '/', ignoreHeaders: unstable }, { path: '/big.txt', ignoreHeaders: unstable },
  { path: '/big.txt', headers: range, ignoreHeaders: unstable }, { path: '/sub/style.css', ignoreHeaders: unstable },
  { path: '/sub', ignoreHeaders: unstable }, { path: '/nope.txt' },
];
const esmRequests: CorpusRequest[] = [
  { path: '/meta' }, { path: '/hello' }, { path: '/label' },
  { path: '/', ignoreHeaders: unstable }, { path: '/app.js', ignoreHeaders: unstable }, { path: '/big.txt', ignoreHeaders: unstable },
  { path: '/big.txt', headers: range, ignoreHeaders: unstable }, { path: '/nope.txt' },
];

let app: string;

before(async () => {
  app = await mkdtemp(join(tmpdir(), 'seabuild-tree-mode-'));
  await cp(fixture, app, { recursive: true, filter: (src) => !/\/(node_modules|dist)(\/|$)/.test(src) });
  // A file larger than one stream chunk (64 KiB), written here rather than committed: ranges and streams cross chunks.
  const big = Array.from({ length: 200_000 }, (_, i) => String.fromCharCode(65 + (i % 26))).join('');
  for (const folder of ['static', 'public']) await writeFile(join(app, folder, 'big.txt'), big);
  const installed = await execa('npm', ['ci', '--no-audit', '--no-fund'], { cwd: app, reject: false, all: true });
  assert.equal(installed.exitCode, 0, installed.all);
});

after(async () => { if (app) await rm(app, { recursive: true, force: true }); });

/** `seabuild build --entry ENTRY --no-image [extra]`; returns the executable copied alone into an empty folder, and the build's output. */
async function buildAlone(entry: string, name: string, extra: string[] = []): Promise<{ executable: string; output: string }> {
  const built = await execa(node24, [seabuildBin, 'build', '--entry', entry, '--name', name, '--no-image', ...extra], {
    cwd: app, reject: false, all: true, timeout: 300_000, env: { SOURCE_DATE_EPOCH: '1700000000' },
  });
  assert.equal(built.exitCode, 0, built.all);
  const alone = await mkdtemp(join(tmpdir(), 'seabuild-tree-alone-'));
  const executable = join(alone, name);
  await copyFile(join(app, 'dist', name), executable);
  await execa('chmod', ['+x', executable]);
  return { executable, output: String(built.all) };
}

/** The answers of `command args` started in `cwd`. */
async function answersOf(command: string, args: string[], cwd: string, requests: CorpusRequest[]): Promise<RecordedAnswer[]> {
  const port = await freePort();
  const service = await startService(command, args, { cwd, env: runEnv({ PORT: String(port) }), port });
  try {
    return await askAll(port, requests);
  } finally {
    await service.terminate();
  }
}

describe('tree mode', () => {
  test('a CommonJS entry (--no-bundle) answers as node: computed requires, require.main, scripts run by process.execPath, serve-static with ranges, listings, ENOENT', async () => {
    const { executable, output } = await buildAlone('cjs/server.js', 'tree-cjs', ['--no-bundle']);
    assert.match(output, /tree mode: the app is not bundled/);
    const expected = await answersOf(node24, ['cjs/server.js'], app, cjsRequests);
    assert.equal(expected.find((a) => a.request === 'GET /main')?.body, '{"main":true,"argv1":"server.js","id":".","args":[]}');
    assert.equal(expected.find((a) => a.request === 'GET /fork')?.body, '{"main":true,"script":"child.js","args":["forked"]}');
    // A missing script fails as under node: never the entry again (Node-RED's npm-cli.js made that a fork bomb).
    assert.equal(expected.find((a) => a.request === 'GET /spawn-missing')?.body, '1 true');
    assert.deepEqual(await answersOf(executable, [], join(executable, '..'), cjsRequests), expected);
    // Its working directory is the caller's: what it writes there lands on disk beside it, as node's lands in the app folder.
    assert.equal(await readFile(join(executable, '..', 'data/note.txt'), 'utf8'), 'written');
    await rm(join(app, 'data'), { recursive: true, force: true });
  });

  test('an ES module entry (config "bundle": false) answers as node: import() by computed URL, import.meta, sirv', async () => {
    await writeFile(join(app, 'seabuild.config.json'), JSON.stringify({ bundle: false }));
    try {
      const { executable } = await buildAlone('esm/server.mjs', 'tree-esm');
      const expected = await answersOf(node24, ['esm/server.mjs'], app, esmRequests);
      assert.equal(expected.find((a) => a.request === 'GET /label')?.body, '[esm]');
      assert.deepEqual(await answersOf(executable, [], join(executable, '..'), esmRequests), expected);
    } finally {
      await rm(join(app, 'seabuild.config.json'), { force: true });
    }
  });

  test('an entry outside the app folder has no place in the tree: TREE_ENTRY_OUTSIDE names it', async () => {
    const outside = join(app, '..', `${app.split('/').pop()}-outside.js`);
    await writeFile(outside, 'console.log(1);\n');
    try {
      await assert.rejects(build({ cwd: app, entry: outside, bundle: false, image: false }), { code: 'TREE_ENTRY_OUTSIDE', file: outside });
    } finally {
      await rm(outside, { force: true });
    }
  });

  test('an entry in a git-ignored build folder is built in tree mode without a flag, its whole folder carried', async () => {
    // A build step's output, as a framework writes it: generated modules in a folder the app ignores.
    await writeFile(join(app, '.gitignore'), '/node_modules\n/out/\n');
    await mkdir(join(app, 'out/plugins'), { recursive: true });
    await cp(join(app, 'cjs'), join(app, 'out'), { recursive: true });
    // A chunk no import names: loaded by a path read from a manifest, as Next loads its pages.
    await writeFile(join(app, 'out/plugins/c.js'), 'module.exports = () => require(JSON.parse(require("fs").readFileSync(__dirname + "/../manifest.json", "utf8")).chunk)();\n');
    await writeFile(join(app, 'out/manifest.json'), JSON.stringify({ chunk: '../chunks/late.js' }));
    await mkdir(join(app, 'out/chunks'), { recursive: true });
    await writeFile(join(app, 'out/chunks/late.js'), 'module.exports = () => "late chunk";\n');
    const { executable, output } = await buildAlone('out/server.js', 'tree-out');
    assert.match(output, /tree mode: the app is not bundled; \d+ files traced by @vercel\/nft and the build output out/);
    // The chunk no import names is carried, and the build says so.
    assert.match(output, /1 file of the build output no import names/);
    const requests = cjsRequests.filter((r) => r.path === '/plugins' || r.path === '/main');
    const expected = await answersOf(node24, ['out/server.js'], app, requests);
    assert.match(expected[0]!.body, /late chunk/);
    assert.deepEqual(await answersOf(executable, [], join(executable, '..'), requests), expected);
  });
});
