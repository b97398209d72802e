// The embedded tree against hostile paths. Its root is a real folder (ELF files are extracted
// there), so a file planted in it on disk, outside the manifest, stands for "a file from outside the
// tree": no path form that lands under the root — `..` inside it, file: URLs plain, encoded and
// double-encoded, NUL bytes, invalid UTF-8 in a Buffer, very long paths, require — may return it.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { eagerVfsBanner } from '../../src/bundle/vfs-banner.ts';
import { treeAssetPrefix, treeManifestKey, type TreeManifest } from './manifest.ts';

const run = promisify(execFile);
const SECRET = 'planted-on-disk-not-in-the-tree';
const library = readFileSync(resolve(import.meta.dirname, '../../test/fixtures/elf/lib/libinner.so.1'));

const script = String.raw`
const fs = require('fs'), path = require('path');
const root = __seabuild.root;
const forms = {
  plain: path.join(root, 'secret.txt'),
  dotdot: root + '/node_modules/demo/../../secret.txt',
  dotdotDeep: root + '/node_modules/demo/data/../../../secret.txt',
  trailingNul: path.join(root, 'node_modules/demo/data/hello.txt') + '\0',
  nulThenDotdot: path.join(root, 'node_modules/demo/data/hello.txt') + '\0/../../../../secret.txt',
  percent: root + '/node_modules/demo/%2e%2e/%2e%2e/secret.txt',
  buffer: Buffer.from(path.join(root, 'secret.txt')),
  bufferInvalidUtf8: Buffer.concat([Buffer.from(root + '/node_modules/demo/data/'), Buffer.from([0xff, 0xfe, 0x2f, 0x2e, 0x2e])]),
  url: new URL('file://' + root + '/node_modules/%2e%2e/secret.txt'),
  urlDoubleEncoded: new URL('file://' + root + '/node_modules/%252e%252e/secret.txt'),
  long: root + '/node_modules/demo/' + 'x/'.repeat(5000) + '../'.repeat(5002) + 'secret.txt',
};
const out = {};
for (const [name, p] of Object.entries(forms)) {
  const results = [];
  for (const op of [(q) => fs.readFileSync(q, 'latin1'), (q) => fs.existsSync(q), (q) => fs.statSync(q).size, (q) => fs.readdirSync(path.dirname(String(q))), (q) => fs.realpathSync(q), (q) => { const fd = fs.openSync(q); const b = Buffer.alloc(64); const n = fs.readSync(fd, b); fs.closeSync(fd); return b.subarray(0, n).toString('latin1'); }]) {
    try { results.push(op(p)); } catch (e) { results.push('error ' + e.code); }
  }
  out[name] = results;
}
for (const request of ['seabuild:tree/secret.txt', 'seabuild:tree/node_modules/../secret.txt', path.join(root, 'secret.txt')]) {
  try { out['require ' + request] = String(require(request)); } catch (e) { out['require ' + request] = 'error ' + e.code; }
}
process.stdout.write(JSON.stringify(out));
`;

test('no path form that lands under the tree\'s root returns a file the tree does not hold', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'seabuild-vfs-hostile-'));
  try {
    const files: Record<string, string | Buffer> = {
      'node_modules/demo/package.json': '{"name":"demo"}',
      'node_modules/demo/data/hello.txt': 'hello, tree\n',
      'node_modules/native/lib/libinner.so.1': library,
    };
    const manifest: TreeManifest = { id: 'hostile-tree-01', layout: { mode: 'embedded' }, mtimeMs: 1700000000000, files: {} };
    for (const [rel, content] of Object.entries(files)) {
      const target = join(dir, 'embed', treeAssetPrefix + rel);
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, content);
      manifest.files[rel] = { sizeBytes: Buffer.byteLength(content), mode: 0o644, ...(rel.endsWith('.so.1') ? { sha256: (await import('node:crypto')).createHash('sha256').update(content).digest('hex') } : {}) };
    }
    writeFileSync(join(dir, 'embed', treeManifestKey), JSON.stringify(manifest));
    const bundle = join(dir, 'bundle.cjs');
    writeFileSync(bundle, `${await eagerVfsBanner()}\n${script}`);
    const env = { ...process.env, SEABUILD_EMBED_DIR: join(dir, 'embed'), XDG_CACHE_HOME: join(dir, 'cache') };
    await run(process.execPath, [bundle], { env }); // extracts the ELF file: the root now exists on disk
    const root = join(dir, 'cache/seabuild', manifest.id);
    writeFileSync(join(root, 'secret.txt'), SECRET);
    mkdirSync(join(root, 'node_modules/demo'), { recursive: true });
    writeFileSync(join(root, 'node_modules/demo/secret.txt'), SECRET);
    const { stdout } = await run(process.execPath, [bundle], { env, maxBuffer: 16 * 1024 * 1024 });
    assert.ok(!stdout.includes(SECRET), stdout);
    const out = JSON.parse(stdout);
    assert.deepEqual(out.plain, ['error ENOENT', false, 'error ENOENT', ['node_modules'], 'error ENOENT', 'error ENOENT']);
    assert.deepEqual(out['require seabuild:tree/secret.txt'], 'error MODULE_NOT_FOUND');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
