// V8's code cache is in the blob by default for the build machine's platform (issue 24: `version`
// 0.89× the CPU without it, docs/BENCHMARKS.md), and `codeCache: false` leaves it out.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { execa } from 'execa';
import { build } from '../src/index.ts';
import { copyFixture, removeFixture } from './helpers/fixture.ts';

test('a default build carries the code cache, codeCache: false does not, and both run', async () => {
  const dir = await copyFixture('hello');
  try {
    const env = { ...process.env, SOURCE_DATE_EPOCH: '1700000000' };
    const cached = (await build({ cwd: dir, image: false, env, outDir: join(dir, 'cached') })).platforms[0]!.executable;
    const plain = (await build({ cwd: dir, image: false, env, outDir: join(dir, 'plain'), codeCache: false })).platforms[0]!.executable;
    assert.ok(cached.blobBytes > plain.blobBytes, `blob ${cached.blobBytes} bytes by default, ${plain.blobBytes} without the cache`);
    for (const executable of [cached, plain]) {
      const { stdout } = await execa(executable.path, ['version'], { env: { NODE_OPTIONS: '' } });
      assert.match(stdout, /^hello-fixture 1\.2\.3$/m);
    }
  } finally {
    await removeFixture(dir);
  }
});
