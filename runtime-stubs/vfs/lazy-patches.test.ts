// The tree's bootstrap loads no builtin it only patches for the app (fs/promises, worker_threads,
// child_process, crypto), and every way the app can load one of them still gets the patched exports:
// require, process.getBuiltinModule, fs.promises and an ES module's import. Each way runs in its own
// process (a patch, once applied, stays), with the real banner over an embedded tree, as vfs.test.ts.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { eagerVfsBanner } from '../../src/bundle/vfs-banner.ts';
import { treeAssetPrefix, treeManifestKey, type TreeManifest } from './manifest.ts';
import { testOnEveryNode } from '../../test/helpers/node-versions.ts';

const run = promisify(execFile);

const treeFiles: Record<string, string> = {
  'node_modules/demo/hello.txt': 'hello, tree\n',
  'node_modules/demo/worker.js': "require('node:worker_threads').parentPort.postMessage('worker ran from the tree');",
};

// Each way of loading, as the app would write it; each resolves with what it observed.
const ways: Record<string, string> = {
  'fs.promises': "fs.promises.readFile(file, 'utf8')",
  "require('fs/promises')": "require('fs/promises').readFile(file, 'utf8')",
  "require('node:fs/promises')": "require('node:fs/promises').readFile(file, 'utf8')",
  "process.getBuiltinModule('fs/promises')": "process.getBuiltinModule('fs/promises').readFile(file, 'utf8')",
  "import('node:fs/promises')": "import('node:fs/promises').then((m) => m.readFile(file, 'utf8'))",
  "import('node:fs') .promises": "import('node:fs').then((m) => m.promises.readFile(file, 'utf8'))",
  "import('node:worker_threads')": 'import(\'node:worker_threads\').then(({ Worker }) => new Promise((done, fail) => { const w = new Worker(path.join(root, "node_modules/demo/worker.js")); w.once("message", (m) => w.terminate().then(() => done(m))); w.once("error", fail); }))',
  "require('worker_threads')": 'new Promise((done, fail) => { const w = new (require(\'worker_threads\').Worker)(path.join(root, "node_modules/demo/worker.js")); w.once("message", (m) => w.terminate().then(() => done(m))); w.once("error", fail); })',
  "require('child_process').fork": "Promise.resolve(String(require('child_process').fork).includes('SEABUILD_RUN_MODULE'))",
  "import('node:child_process').fork": "import('node:child_process').then((m) => String(m.fork).includes('SEABUILD_RUN_MODULE') && String(m.default.fork).includes('SEABUILD_RUN_MODULE'))",
};
const expected: Record<string, unknown> = {
  "import('node:worker_threads')": 'worker ran from the tree',
  "require('worker_threads')": 'worker ran from the tree',
  "require('child_process').fork": true,
  "import('node:child_process').fork": true,
};

const lazyModules = ['NativeModule internal/fs/promises', 'NativeModule worker_threads', 'NativeModule child_process', 'NativeModule crypto'];

function script(way: string): string {
  return String.raw`
const fs = require('fs'), path = require('path');
const root = __seabuild.root, file = path.join(root, 'node_modules/demo/hello.txt');
const loadedAtStart = ${JSON.stringify(lazyModules)}.filter((name) => process.moduleLoadList.includes(name));
(${ways[way]}).then((seen) => process.stdout.write(JSON.stringify({ loadedAtStart, seen })), (e) => process.stdout.write(JSON.stringify({ loadedAtStart, error: e.code + ': ' + e.message })));
`;
}

async function checkWays(node: string, mode: 'embedded' | 'external'): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'seabuild-lazy-'));
  try {
    const files: TreeManifest['files'] = {};
    // External: the tree laid out on disk, as in the image; embedded: SEA assets, as standalone.
    const treeRoot = join(dir, 'tree');
    for (const [rel, content] of Object.entries(treeFiles)) {
      const target = mode === 'embedded' ? join(dir, 'embed', treeAssetPrefix + rel) : join(treeRoot, rel);
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, content);
      files[rel] = { sizeBytes: Buffer.byteLength(content), mode: 0o644 };
    }
    const manifest: TreeManifest = { id: 'test-lazy-0001', layout: mode === 'embedded' ? { mode } : { mode, root: treeRoot }, mtimeMs: 1700000000000, files };
    mkdirSync(join(dir, 'embed', dirname(treeManifestKey)), { recursive: true });
    writeFileSync(join(dir, 'embed', treeManifestKey), JSON.stringify(manifest));
    const banner = await eagerVfsBanner();
    const results = await Promise.all(Object.keys(ways).map(async (way, i) => {
      const bundle = join(dir, `bundle-${i}.cjs`);
      writeFileSync(bundle, `${banner}\n${script(way)}`);
      const { stdout } = await run(node, [bundle], { env: { ...process.env, SEABUILD_EMBED_DIR: join(dir, 'embed'), XDG_CACHE_HOME: join(dir, 'cache') } });
      return [way, JSON.parse(stdout)] as const;
    }));
    for (const [way, result] of results) {
      assert.deepEqual(result, { loadedAtStart: [], seen: expected[way] ?? 'hello, tree\n' }, `${mode}: ${way}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

testOnEveryNode('builtins the tree patches load only when the app loads them, patched by every way in', (node) => checkWays(node, 'embedded'));
testOnEveryNode('the same with the tree laid out on disk (the image)', (node) => checkWays(node, 'external'));
