// The tree shown under a service's working directory (tree.ts mountAt, run-entry.ts): the tree in
// front of the disk for the paths it has, the disk for every other, and one path per module.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createTree } from './tree.ts';
import type { TreeManifest } from './manifest.ts';

const file = { sizeBytes: 1, mode: 0o644 };
const manifest = {
  id: 'mount', layout: { mode: 'embedded' }, mtimeMs: 0,
  files: { 'build/client/app.js': file, 'build/server/index.js': file, 'package.json': file },
} as unknown as TreeManifest;

test('mountAt: paths under the working directory that the tree has are the tree\'s; the folder itself and all else stay the disk\'s', () => {
  const tree = createTree(manifest, '/cache/seabuild/abc');
  assert.equal(tree.relative('/srv/run/build/client/app.js'), undefined, 'nothing before the mount');
  tree.mountAt('/srv/run');
  assert.equal(tree.relative('/cache/seabuild/abc/build/client/app.js'), 'build/client/app.js', 'the root\'s own paths as before');
  assert.equal(tree.relative('/srv/run/build/client/app.js'), 'build/client/app.js');
  assert.equal(tree.relative('/srv/run/build/client'), 'build/client', 'a folder of the tree');
  assert.equal(tree.relative('/srv/run/build/client/nope.js'), undefined, 'not in the tree: the disk\'s');
  assert.equal(tree.relative('/srv/run/data/settings.js'), undefined, 'what the service writes: the disk\'s');
  assert.equal(tree.relative('/srv/run'), undefined, 'the working directory itself: the disk\'s (its listing is the caller\'s)');
  assert.equal(tree.relative('/srv/running/package.json'), undefined, 'a sibling folder with the same prefix');
  assert.equal(tree.relative('/srv/run/constructor'), undefined, 'no inherited property names a file');
  assert.equal(tree.canonical('/srv/run/build/server/index.js'), '/cache/seabuild/abc/build/server/index.js', 'a module has the tree\'s path');
  assert.equal(tree.canonical('/srv/run/data/x.js'), '/srv/run/data/x.js');
  assert.equal(tree.canonical('/elsewhere/x.js'), '/elsewhere/x.js');
});

test('mountAt: a working directory inside the tree mounts nothing (the tree is there already); the root "/" mounts at every path', () => {
  const inside = createTree(manifest, '/cache/seabuild/abc');
  inside.mountAt('/cache/seabuild/abc/build');
  assert.equal(inside.relative('/cache/seabuild/abc/build/package.json'), 'build/package.json', 'a root path, not a mounted one');
  assert.equal(inside.canonical('/cache/seabuild/abc/build/client'), '/cache/seabuild/abc/build/client');
  const atRoot = createTree(manifest, '/cache/seabuild/abc');
  atRoot.mountAt('/');
  assert.equal(atRoot.relative('/build/client/app.js'), 'build/client/app.js');
  assert.equal(atRoot.relative('/etc/passwd'), undefined);
});
