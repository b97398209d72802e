// A miss in the embedded tree costs what ENOENT from disk costs (issue 24): Express 5's
// express.static (bench/serve, installed from its lockfile) asks for public/ping before every
// GET /ping, and neither the error's note nor its stack may be built until something reads them.
// The real banner runs on top of the script, under node, with SEABUILD_EMBED_DIR holding the tree.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { execa } from 'execa';
import { eagerVfsBanner } from '../../src/bundle/vfs-banner.ts';
import { treeAssetPrefix, treeManifestKey, type TreeManifest } from './manifest.ts';

const fixture = resolve(import.meta.dirname, '../../bench/serve');
const fileText = 'served from the tree\n';

// Counts, per tree miss that reaches express.static's fs.stat callback, whether its message is still
// an unread getter and whether V8 has formatted its stack (Error.prepareStackTrace runs at that moment).
const script = String.raw`
const fs = require('fs'), path = require('path');
// The banner's require resolves from the tree's root (a bundle's packages are there): express is on disk.
const express = process.getBuiltinModule('node:module').createRequire(process.env.APP_DIR + '/')('express');
const misses = [];
let formatted = 0;
Error.prepareStackTrace = (error, frames) => {
  if (misses.includes(error)) formatted++;
  return [error.name + ': ' + error.message, ...frames.map((frame) => '    at ' + frame)].join('\n');
};
const stat = fs.stat;
fs.stat = function (p, ...rest) {
  const cb = rest.pop();
  return stat.call(this, p, ...rest, (error, stats) => { if (error) misses.push(error); cb(error, stats); });
};
// Unread: no message of its own yet (the prototype's getter builds it), or an own getter (an error node made).
const unread = (error) => { const own = Object.getOwnPropertyDescriptor(error, 'message'); return own === undefined || typeof own.get === 'function'; };
const app = express();
app.use(express.static(path.join(__seabuild.root, 'public')));
app.get('/ping', (request, response) => response.json({ pong: true }));
const server = app.listen(0, '127.0.0.1', async () => {
  const base = 'http://127.0.0.1:' + server.address().port;
  const out = { answers: [] };
  for (const url of ['/ping', '/ping', '/file.txt']) out.answers.push(await (await fetch(base + url)).text());
  out.misses = misses.map((error) => ({ code: error.code, syscall: error.syscall, unread: unread(error) }));
  out.formattedBeforeRead = formatted;
  out.message = misses[0].message;
  out.stack = misses[0].stack;
  out.formattedAfterRead = formatted;
  try { fs.statSync(path.join(__seabuild.root, 'public/nope')); } catch (error) {
    out.sync = { unread: unread(error), framesInStack: error.stack.split('\n').length - 1, message: error.message, json: JSON.stringify(error), name: error.constructor.name };
  }
  server.close();
  process.stdout.write(JSON.stringify(out));
});
`;

test('a tree miss under express.static builds no note and no stack until they are read', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'seabuild-lazy-miss-'));
  try {
    await cp(fixture, join(dir, 'app'), { recursive: true, filter: (src) => !/\/(node_modules|dist)(\/|$)/.test(src) });
    await execa('npm', ['ci', '--no-audit', '--no-fund'], { cwd: join(dir, 'app') });
    const embed = join(dir, 'embed');
    const target = join(embed, `${treeAssetPrefix}public/file.txt`);
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, fileText);
    const manifest: TreeManifest = { id: 'lazy-miss-0001', layout: { mode: 'embedded' }, mtimeMs: 1700000000000, files: { 'public/file.txt': { sizeBytes: fileText.length, mode: 0o644 } } };
    await writeFile(join(embed, treeManifestKey), JSON.stringify(manifest));
    const bundle = join(dir, 'app/bundle.cjs');
    await writeFile(bundle, `${await eagerVfsBanner()}\n${script}`);
    const { stdout } = await execa(process.execPath, [bundle], { env: { APP_DIR: join(dir, 'app'), SEABUILD_EMBED_DIR: embed, XDG_CACHE_HOME: join(dir, 'cache') } });
    const out = JSON.parse(stdout);

    assert.deepEqual(out.answers, ['{"pong":true}', '{"pong":true}', fileText]);
    // One miss per GET /ping (public/ping), none for the file that is there.
    assert.deepEqual(out.misses, [{ code: 'ENOENT', syscall: 'stat', unread: true }, { code: 'ENOENT', syscall: 'stat', unread: true }]);
    assert.equal(out.formattedBeforeRead, 0);
    // Read, the message carries the note, and the stack is the message alone: node's own ENOENT of a
    // callback call has no frames either (it comes back from the thread pool).
    assert.match(out.message, /^ENOENT: no such file or directory, stat '.*\/public\/ping': file public\/ping of the app is not in the executable; add it with include/);
    assert.equal(out.stack, `Error: ${out.message}`);
    assert.equal(out.formattedAfterRead, 1);
    // A sync call keeps the caller's frames, as node's statSync does, and its note is lazy too.
    assert.equal(out.sync.unread, true);
    assert.ok(out.sync.framesInStack > 0);
    assert.match(out.sync.message, /public\/nope of the app is not in the executable/);
    // Shaped like node's own: an Error, and the same enumerable fields.
    assert.equal(out.sync.name, 'Error');
    assert.deepEqual(Object.keys(JSON.parse(out.sync.json)), ['errno', 'code', 'syscall', 'path']);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
