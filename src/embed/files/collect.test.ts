import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Metafile } from 'esbuild';
import { SeabuildError } from '../../errors.ts';
import { collectPackageFiles } from './collect.ts';
import { packageFilesRootfsEntries } from './rootfs.ts';
import { treeManifest } from './assets.ts';

const elf = resolve(import.meta.dirname, '../../../test/fixtures/elf');

/**
 * An app with: `addon` (bundled, ships build/Release/addon.node whose RUNPATH `$ORIGIN/../lib`
 * needs libgreet.so.1, plus a 32-bit .node for another machine), `plugin` (not bundled, only
 * included), `tool` (external, depends on `dep`).
 */
function makeApp(): string {
  const root = mkdtempSync(join(tmpdir(), 'seabuild-collect-'));
  const put = (rel: string, content = '{}'): void => { mkdirSync(join(root, rel, '..'), { recursive: true }); writeFileSync(join(root, rel), content); };
  put('package.json', JSON.stringify({ name: 'app' }));
  put('node_modules/addon/package.json', JSON.stringify({ name: 'addon', main: 'index.js' }));
  put('node_modules/addon/index.js', 'module.exports = 1');
  mkdirSync(join(root, 'node_modules/addon/build/Release'), { recursive: true });
  mkdirSync(join(root, 'node_modules/addon/build/lib'), { recursive: true });
  copyFileSync(join(elf, 'bin/hello-runpath'), join(root, 'node_modules/addon/build/Release/addon.node'));
  copyFileSync(join(elf, 'lib/libgreet.so.1.0.0'), join(root, 'node_modules/addon/build/lib/libgreet.so.1'));
  copyFileSync(join(elf, 'lib32/libthirtytwo.so.1'), join(root, 'node_modules/addon/build/Release/other-arch.node'));
  put('node_modules/plugin/package.json', JSON.stringify({ name: 'plugin' }));
  put('node_modules/plugin/lib/plugin.js', 'module.exports = 2');
  put('node_modules/plugin/README.md', '# docs');
  put('node_modules/tool/package.json', JSON.stringify({ name: 'tool', dependencies: { dep: '1' } }));
  put('node_modules/tool/main.js', 'require("dep")');
  put('node_modules/tool/main.d.ts', 'export {}');
  put('node_modules/dep/package.json', JSON.stringify({ name: 'dep' }));
  put('node_modules/dep/index.js', '');
  put('views/index.ejs', '<h1>');
  return root;
}

const metafile = { inputs: { 'node_modules/addon/index.js': { bytes: 1, imports: [] } }, outputs: {} } as unknown as Metafile;
const noTree = { references: [], addons: [], entries: [] };

test('addons with their $ORIGIN libraries, includes, externals with dependencies, package manifests', async () => {
  const root = makeApp();
  try {
    const { files, warnings } = await collectPackageFiles({
      root, tree: noTree, metafile, machine: 'x86_64',
      include: { plugin: ['lib/*.js'], '.': ['views/**'] }, external: ['tool'],
    });
    assert.deepEqual(warnings, []);
    assert.deepEqual(files.files.map((f) => `${f.treePath} ${f.kind} ${f.mode.toString(8)}`), [
      'node_modules/addon/build/Release/addon.node addon 644',
      'node_modules/addon/build/lib/libgreet.so.1 library 644',
      'node_modules/addon/package.json data 644',
      'node_modules/dep/index.js script 644',
      'node_modules/dep/package.json data 644',
      'node_modules/plugin/lib/plugin.js script 644',
      'node_modules/plugin/package.json data 644',
      'node_modules/tool/main.js script 644',
      'node_modules/tool/package.json data 644',
      'views/index.ejs data 644',
    ]);
    const lib = files.files.find((f) => f.treePath.endsWith('libgreet.so.1'))!;
    assert.equal(lib.reason, 'loaded by node_modules/addon/build/Release/addon.node through its RUNPATH');
    assert.equal(lib.package, 'addon');
    assert.deepEqual(files.elfFiles, [join(root, 'node_modules/addon/build/Release/addon.node'), join(root, 'node_modules/addon/build/lib/libgreet.so.1')]);
    assert.match(files.id, /^[0-9a-f]{32}$/);
    assert.equal(files.totalBytes, files.files.reduce((n, f) => n + f.sizeBytes, 0));

    const manifest = treeManifest(files, { mode: 'embedded' }, 1700000000);
    assert.equal(manifest.mtimeMs, 1700000000000);
    assert.equal(manifest.files['node_modules/addon/build/lib/libgreet.so.1']!.sha256, lib.sha256);
    assert.equal(manifest.files['views/index.ejs']!.sha256, undefined);

    const entries = packageFilesRootfsEntries(files, '/usr/lib/app', { uid: 0, gid: 0 });
    assert.deepEqual(entries[0], { type: 'file', path: '/usr/lib/app/node_modules/addon/build/Release/addon.node', mode: 0o644, uid: 0, gid: 0, source: { path: join(root, 'node_modules/addon/build/Release/addon.node') }, sizeBytes: files.files[0]!.sizeBytes });
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('the same inputs give the same tree id; another addon gives another', async () => {
  const root = makeApp();
  try {
    const collect = async () => (await collectPackageFiles({ root, tree: noTree, metafile, machine: 'x86_64', include: {}, external: [] })).files.id;
    const first = await collect();
    assert.equal(await collect(), first);
    copyFileSync(join(elf, 'bin/hello-rpath'), join(root, 'node_modules/addon/build/Release/addon.node'));
    assert.notEqual(await collect(), first);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('include of a package that is not installed fails; a glob matching nothing warns', async () => {
  const root = makeApp();
  try {
    await assert.rejects(collectPackageFiles({ root, tree: noTree, metafile, machine: 'x86_64', include: { nothere: ['*'] }, external: [] }),
      (error: SeabuildError) => error.code === 'INCLUDE_PACKAGE_NOT_FOUND' && error.file === join(root, 'package.json'));
    const { warnings } = await collectPackageFiles({ root, tree: noTree, metafile, machine: 'x86_64', include: { plugin: ['*.wasm'] }, external: [] });
    assert.deepEqual(warnings.map((w) => [w.code, w.file]), [['INCLUDE_NO_MATCH', join(root, 'node_modules/plugin')]]);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('symbolic links in a package: one to a file inside is embedded as that file; one to outside, or nowhere, fails naming the link; one to a folder is left out', async () => {
  const root = makeApp();
  const outside = mkdtempSync(join(tmpdir(), 'seabuild-outside-'));
  try {
    writeFileSync(join(outside, 'secret'), 'the build machine\'s secret');
    symlinkSync('plugin.js', join(root, 'node_modules/plugin/lib/alias.js'));
    symlinkSync('../lib', join(root, 'node_modules/plugin/lib/again'));
    const collect = () => collectPackageFiles({ root, tree: noTree, metafile, machine: 'x86_64', include: { plugin: ['lib/**'] }, external: [] });
    const { files } = await collect();
    const alias = files.files.find((f) => f.treePath === 'node_modules/plugin/lib/alias.js')!;
    assert.equal(alias.sizeBytes, 'module.exports = 2'.length);
    assert.equal(files.files.some((f) => f.treePath.includes('/again')), false);

    for (const [target, code] of [[join(outside, 'secret'), 'EMBED_LINK_OUTSIDE_PACKAGE'], ['../../addon/index.js', 'EMBED_LINK_OUTSIDE_PACKAGE'], ['missing.js', 'EMBED_LINK_BROKEN']] as const) {
      const link = join(root, 'node_modules/plugin/lib/evil.js');
      rmSync(link, { force: true });
      symlinkSync(target, link);
      await assert.rejects(collect(), (error: SeabuildError) => error.code === code && error.file === link && !error.message.includes('secret\''), `${target}`);
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
    rmSync(outside, { recursive: true, force: true });
  }
});
