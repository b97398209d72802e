// The banner defines the tree's bootstrap and runs it only when `__seabuild_set_up()` is called
// (issue 24: `./app version` must not pay for the tree). Before that call nothing of the tree
// exists: no `globalThis.__seabuild`, no patched fs, no ELF file extracted; after it, all of them,
// once. The real banner on top of a script, run by node with SEABUILD_EMBED_DIR holding the assets.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { eagerVfsBanner, vfsBanner } from '../../src/bundle/vfs-banner.ts';
import { treeAssetPrefix, treeManifestKey, type TreeManifest } from './manifest.ts';

const run = promisify(execFile);
const elfLibrary = readFileSync(resolve(import.meta.dirname, '../../test/fixtures/elf/lib/libinner.so.1'));
const manifestId = 'lazy-setup-0001';
const text = 'from the tree\n';

/** The embed folder: a text file and an ELF library (which setting the tree up extracts to the cache). */
function makeEmbedDir(dir: string): void {
  const files: TreeManifest['files'] = {};
  for (const [rel, bytes] of [['node_modules/demo/hello.txt', Buffer.from(text)], ['node_modules/native/libinner.so.1', elfLibrary]] as const) {
    mkdirSync(dirname(join(dir, treeAssetPrefix + rel)), { recursive: true });
    writeFileSync(join(dir, treeAssetPrefix + rel), bytes);
    files[rel] = { sizeBytes: bytes.length, mode: 0o644, ...(rel.endsWith('.so.1') ? { sha256: createHash('sha256').update(bytes).digest('hex') } : {}) };
  }
  const manifest: TreeManifest = { id: manifestId, layout: { mode: 'embedded' }, mtimeMs: 1700000000000, files };
  writeFileSync(join(dir, treeManifestKey), JSON.stringify(manifest));
}

// Observes the process before and after the set-up: what the tree's absence and presence look like.
const script = String.raw`
const fs = require('fs'), path = require('path');
const extracted = path.join(process.env.XDG_CACHE_HOME, 'seabuild', ${JSON.stringify(manifestId)});
const observe = () => ({
  runtime: typeof globalThis.__seabuild,
  extracted: fs.existsSync(extracted),
  read: (() => { try { return fs.readFileSync(path.join(extracted, 'node_modules/demo/hello.txt'), 'utf8'); } catch (error) { return error.code; } })(),
});
const before = observe();
const first = typeof __seabuild_set_up === 'function' ? __seabuild_set_up() : undefined;
const after = observe();
process.stdout.write(JSON.stringify({ before, after, once: __seabuild_set_up() === first, sameGlobal: globalThis.__seabuild === first, treeRequire: require === first.require }));
`;

async function runWith(banner: string, dir: string, name: string): Promise<any> {
  const bundle = join(dir, `${name}.cjs`);
  writeFileSync(bundle, `${banner}\n${script}`);
  const { stdout } = await run(process.execPath, [bundle], { env: { ...process.env, SEABUILD_EMBED_DIR: join(dir, 'embed'), XDG_CACHE_HOME: join(dir, `cache-${name}`) } });
  return JSON.parse(stdout);
}

test('the banner sets the tree up only when __seabuild_set_up() is called, once; a script without a launcher gets it at once', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'seabuild-lazy-setup-'));
  try {
    makeEmbedDir(join(dir, 'embed'));
    const lazy = await runWith(await vfsBanner(), dir, 'lazy');
    assert.deepEqual(lazy.before, { runtime: 'undefined', extracted: false, read: 'ENOENT' });
    assert.deepEqual(lazy.after, { runtime: 'object', extracted: true, read: text });
    assert.deepEqual([lazy.once, lazy.sameGlobal, lazy.treeRequire], [true, true, true]);
    // A worker or forked script bundled on its own (src/bundle/entries.ts): set up before its first line.
    const eager = await runWith(await eagerVfsBanner(), dir, 'eager');
    assert.deepEqual(eager.before, { runtime: 'object', extracted: true, read: text });
    assert.equal(eager.once, true);
    assert.equal(existsSync(join(dir, 'cache-lazy', 'seabuild', manifestId, 'node_modules/native/libinner.so.1')), true);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
