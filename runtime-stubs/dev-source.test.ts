// Development mode reads the same config keys as the build, `false` included.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadDevSource } from './dev-source.ts';

test('assets: false and migrations: false turn the folders off, even when they exist', async () => {
  const root = await mkdtemp(join(tmpdir(), 'seabuild-dev-'));
  try {
    await mkdir(join(root, 'public'));
    await mkdir(join(root, 'migrations'));
    await writeFile(join(root, 'public/a.css'), 'a{}');
    await writeFile(join(root, 'package.json'), JSON.stringify({ name: 'dev', version: '1.0.0', seabuild: { assets: false, migrations: false } }));
    const off = loadDevSource(join(root, 'main.ts')).info;
    assert.deepEqual(off.assets, []);
    assert.equal(off.migrationsKey, undefined);
    await writeFile(join(root, 'package.json'), JSON.stringify({ name: 'dev', version: '1.0.0' }));
    const on = loadDevSource(join(root, 'main.ts')).info;
    assert.deepEqual(on.assets.map((a) => a.logicalName), ['a.css']);
    assert.equal(on.migrationsKey, join(root, 'migrations'));
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});
