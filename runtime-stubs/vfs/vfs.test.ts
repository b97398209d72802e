// The tree's runtime, as it runs in an executable: the real banner (src/bundle/vfs-banner.ts) on top
// of a script, run by node with SEABUILD_EMBED_DIR holding the SEA assets as files.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { eagerVfsBanner } from '../../src/bundle/vfs-banner.ts';
import { treeAssetPrefix, treeManifestKey, type TreeManifest } from './manifest.ts';
import { encodeLeftOut, leftOutKey } from './left-out.ts';
import { testOnEveryNode } from '../../test/helpers/node-versions.ts';

const run = promisify(execFile);
const elfLibrary = resolve(import.meta.dirname, '../../test/fixtures/elf/lib/libinner.so.1');

const treeFiles: Record<string, string | Buffer> = {
  'node_modules/demo/package.json': JSON.stringify({ name: 'demo', exports: { '.': { import: './esm.mjs', require: './lib/index.js' }, './data': './data/hello.txt' } }),
  'node_modules/demo/lib/index.js': "exports.greeting = require('./greet.json').text + ' ' + require('dep').name; exports.dir = __dirname;",
  'node_modules/demo/lib/greet.json': JSON.stringify({ text: 'hello' }),
  'node_modules/demo/lib/worker.js': "require('node:worker_threads').parentPort.postMessage('worker says ' + require('dep').name);",
  'node_modules/demo/data/hello.txt': 'hello, tree\n',
  'node_modules/demo/data/nested/deep.bin': Buffer.from([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]),
  'node_modules/dep/package.json': JSON.stringify({ name: 'dep', main: 'main.js' }),
  'node_modules/dep/main.js': "exports.name = 'dep';",
  'node_modules/native/lib/libinner.so.1': readFileSync(elfLibrary),
};

/** Writes the embed folder (manifest + one file per tree path) and returns it. */
function makeEmbedDir(dir: string): TreeManifest {
  const files: TreeManifest['files'] = {};
  for (const [rel, content] of Object.entries(treeFiles)) {
    const bytes = Buffer.from(content);
    const target = join(dir, treeAssetPrefix + rel);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, bytes);
    files[rel] = { sizeBytes: bytes.length, mode: 0o644, ...(rel.endsWith('.so.1') ? { sha256: createHash('sha256').update(bytes).digest('hex') } : {}) };
  }
  const manifest: TreeManifest = { id: 'test-tree-0001', layout: { mode: 'embedded' }, mtimeMs: 1700000000000, files };
  writeFileSync(join(dir, treeManifestKey), JSON.stringify(manifest));
  // What the build machine had and the build left out: a data file of demo, and a whole package.
  writeFileSync(join(dir, leftOutKey), encodeLeftOut(['node_modules/demo/data/left-behind.txt', 'node_modules/installed', 'node_modules/installed/package.json']));
  return manifest;
}

// Runs inside the child: every check prints one JSON line.
const script = String.raw`
const fs = require('fs'), path = require('path');
const root = __seabuild.root, data = path.join(root, 'node_modules/demo/data');
const out = {}; const attempt = (name, fn) => { try { out[name] = fn(); } catch (e) { out[name] = { code: e.code, message: e.message }; } };
attempt('mode', () => __seabuild.mode);
attempt('readString', () => fs.readFileSync(path.join(data, 'hello.txt'), 'utf8'));
attempt('readUrl', () => fs.readFileSync(new URL('file://' + data + '/hello.txt')).length);
attempt('exists', () => [fs.existsSync(path.join(data, 'hello.txt')), fs.existsSync(data), fs.existsSync(path.join(data, 'nope'))]);
attempt('stat', () => { const s = fs.statSync(path.join(data, 'hello.txt')); const d = fs.lstatSync(data); return [s.isFile(), s.size, s.mtimeMs, d.isDirectory(), fs.statSync(path.join(data, 'x'), { throwIfNoEntry: false })]; });
attempt('readdir', () => [fs.readdirSync(data), fs.readdirSync(data, { withFileTypes: true }).map((e) => [e.name, e.isDirectory(), e.parentPath]), fs.readdirSync(data, { recursive: true })]);
attempt('realpath', () => fs.realpathSync(path.join(data, 'nested/../hello.txt')));
attempt('missing', () => fs.readFileSync(path.join(data, 'nope.txt')));
attempt('leftBehind', () => fs.readFileSync(path.join(data, 'left-behind.txt')));
attempt('directory', () => fs.readFileSync(data));
attempt('write', () => fs.writeFileSync(path.join(data, 'new.txt'), 'x'));
attempt('access', () => fs.accessSync(path.join(data, 'hello.txt'), fs.constants.W_OK));
attempt('fd', () => { const fd = fs.openSync(path.join(data, 'nested/deep.bin'), 'r'); const b = Buffer.alloc(4); const n = fs.readSync(fd, b, 0, 4, 3); const size = fs.fstatSync(fd).size; fs.closeSync(fd); return [n, [...b], size]; });
attempt('require', () => { const m = require('seabuild:tree/node_modules/demo/lib/index.js'); return [m.greeting, m.dir]; });
attempt('resolve', () => [__seabuild.resolve('node_modules/demo/lib', 'demo'), __seabuild.resolve('', 'demo/data')]);
attempt('requireMissing', () => __seabuild.requireFrom('node_modules/demo/lib', 'absent'));
attempt('requireLeftOut', () => __seabuild.requireFrom('node_modules/demo/lib', 'installed/sub'));
attempt('real', () => fs.readFileSync(__filename, 'utf8').length > 0);
attempt('extracted', () => fs.statSync(path.join(root, 'node_modules/native/lib/libinner.so.1')).size);
const later = [];
later.push(new Promise((done) => fs.readFile(path.join(data, 'hello.txt'), 'utf8', (e, t) => { out.readCallback = e ? e.code : t; done(); })));
later.push(fs.promises.readFile(path.join(data, 'nope')).catch((e) => { out.readPromiseMissing = e.code; }));
later.push(fs.promises.readdir(data).then((names) => { out.readdirPromise = names; }));
later.push((async () => { const h = await fs.promises.open(path.join(data, 'nested/deep.bin')); const { bytesRead, buffer } = await h.read(Buffer.alloc(3), 0, 3, 7); await h.close(); out.handle = [bytesRead, [...buffer.subarray(0, 3)]]; })());
later.push(new Promise((done) => { const chunks = []; fs.createReadStream(path.join(data, 'nested/deep.bin'), { start: 2, end: 5 }).on('data', (c) => chunks.push(c)).on('end', () => { out.stream = [...Buffer.concat(chunks)]; done(); }); }));
later.push(new Promise((done) => { const { Worker } = require('worker_threads'); const w = new Worker(path.join(root, 'node_modules/demo/lib/worker.js')); w.once('message', (m) => { out.worker = m; w.terminate().then(done); }); w.once('error', (e) => { out.worker = e.message; done(); }); }));
Promise.all(later).then(() => process.stdout.write(JSON.stringify(out)));
`;

async function runBundle(dir: string, cache: string, node = process.execPath): Promise<any> {
  const bundle = join(dir, `bundle-${process.hrtime.bigint()}.cjs`);
  writeFileSync(bundle, `${await eagerVfsBanner()}\n${script}`);
  const { stdout } = await run(node, [bundle], { env: { ...process.env, SEABUILD_EMBED_DIR: join(dir, 'embed'), XDG_CACHE_HOME: cache } });
  return JSON.parse(stdout);
}

async function checkTree(node: string): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'seabuild-vfs-'));
  const cache = join(dir, 'cache');
  try {
    const manifest = makeEmbedDir(join(dir, 'embed'));
    const root = join(cache, 'seabuild', manifest.id);
    const data = join(root, 'node_modules/demo/data');
    const out = await runBundle(dir, cache, node);
    assert.equal(out.mode, 'embedded');
    assert.equal(out.readString, 'hello, tree\n');
    assert.equal(out.readUrl, 12);
    assert.deepEqual(out.exists, [true, true, false]);
    assert.deepEqual(out.stat, [true, 12, 1700000000000, true, null]);
    assert.deepEqual(out.readdir, [['hello.txt', 'nested'], [['hello.txt', false, data], ['nested', true, data]], ['hello.txt', 'nested', 'nested/deep.bin']]);
    assert.equal(out.realpath, join(data, 'hello.txt'));
    assert.equal(out.missing.code, 'ENOENT');
    // A file demo never shipped gets Node's own message; one the build left out gets the hint.
    assert.equal(out.missing.message, `ENOENT: no such file or directory, open '${join(data, 'nope.txt')}'`);
    assert.equal(out.leftBehind.code, 'ENOENT');
    assert.match(out.leftBehind.message, /file node_modules\/demo\/data\/left-behind\.txt of package demo is not in the executable; add it with include or run seabuild trace$/);
    assert.equal(out.directory.code, 'EISDIR');
    assert.equal(out.write.code, 'EROFS');
    assert.equal(out.access.code, 'EROFS');
    assert.deepEqual(out.fd, [4, [3, 4, 5, 6], 10]);
    assert.deepEqual(out.require, ['hello dep', join(root, 'node_modules/demo/lib')]);
    assert.deepEqual(out.resolve, [join(root, 'node_modules/demo/lib/index.js'), join(data, 'hello.txt')]);
    assert.equal(out.requireMissing.code, 'MODULE_NOT_FOUND');
    assert.equal(out.requireMissing.message, "Cannot find module 'absent'");
    assert.equal(out.requireLeftOut.code, 'MODULE_NOT_FOUND');
    assert.match(out.requireLeftOut.message, /^Cannot find module 'installed\/sub': package installed\/sub, required from node_modules\/demo\/lib, is not in the executable/);
    assert.equal(out.real, true);
    assert.equal(out.extracted, treeFiles['node_modules/native/lib/libinner.so.1']!.length);
    assert.equal(out.readCallback, 'hello, tree\n');
    assert.equal(out.readPromiseMissing, 'ENOENT');
    assert.deepEqual(out.readdirPromise, ['hello.txt', 'nested']);
    assert.deepEqual(out.handle, [3, [7, 8, 9]]);
    assert.deepEqual(out.stream, [2, 3, 4, 5]);
    assert.equal(out.worker, 'worker says dep');

    // A second start finds the extracted files complete and writes nothing.
    const library = join(root, 'node_modules/native/lib/libinner.so.1');
    const before = statSync(library);
    await runBundle(dir, cache, node);
    const after = statSync(library);
    assert.deepEqual([after.ino, after.mtimeMs], [before.ino, before.mtimeMs]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

testOnEveryNode('the tree through fs, require and worker_threads; ELF files extracted once', checkTree);

test('processes starting at once all find complete files; no temporary folder is left', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'seabuild-vfs-'));
  const cache = join(dir, 'cache');
  try {
    const manifest = makeEmbedDir(join(dir, 'embed'));
    const results = await Promise.all(Array.from({ length: 6 }, () => runBundle(dir, cache)));
    for (const out of results) assert.equal(out.extracted, treeFiles['node_modules/native/lib/libinner.so.1']!.length);
    const { readdirSync } = await import('node:fs');
    assert.deepEqual(readdirSync(join(cache, 'seabuild')), [manifest.id]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('an incomplete extraction folder (a temp cleaner took a file) is replaced', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'seabuild-vfs-'));
  const cache = join(dir, 'cache');
  try {
    const manifest = makeEmbedDir(join(dir, 'embed'));
    await runBundle(dir, cache);
    const library = join(cache, 'seabuild', manifest.id, 'node_modules/native/lib/libinner.so.1');
    writeFileSync(library, 'truncated');
    const out = await runBundle(dir, cache);
    assert.equal(out.extracted, treeFiles['node_modules/native/lib/libinner.so.1']!.length);
    assert.deepEqual(readFileSync(library), treeFiles['node_modules/native/lib/libinner.so.1']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
