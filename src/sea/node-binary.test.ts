import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { containsFuse, seaFuse } from './node-binary.ts';

const CHUNK = 8 << 20;
const needle = `${seaFuse}:0`;

test('containsFuse finds the fuse anywhere, across the 8 MiB read boundary too, and nothing else', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'seabuild-fuse-'));
  try {
    const at = async (offset: number | undefined, size: number, text = needle): Promise<boolean> => {
      const bytes = Buffer.alloc(size, 0x41);
      if (offset !== undefined) bytes.write(text, offset, 'latin1');
      const path = join(dir, `f-${offset}-${size}-${text.length}`);
      await writeFile(path, bytes);
      return containsFuse(path, needle);
    };
    for (const offset of [0, 1000, CHUNK - needle.length, CHUNK - 10, CHUNK - 1, CHUNK, 2 * CHUNK - 5, 2 * CHUNK + 100]) {
      assert.equal(await at(offset, 2 * CHUNK + 200), true, `at ${offset}`);
    }
    assert.equal(await at(undefined, 2 * CHUNK + 200), false);
    assert.equal(await at(CHUNK - 10, 2 * CHUNK, `${seaFuse}:1`), false, 'an injected fuse is not an unused one');
    assert.equal(await at(undefined, 10), false, 'a file shorter than the fuse');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
