import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { replaceDirAtomically } from './fs-atomic.ts';

test('replaceDirAtomically: a failed write leaves the previous folder whole; a good one replaces it; no temporaries stay', async () => {
  const base = await mkdtemp(join(tmpdir(), 'seabuild-replace-dir-'));
  try {
    const target = join(base, 'rootfs');
    await replaceDirAtomically(target, async (dir) => { await mkdir(dir); await writeFile(join(dir, 'a'), 'first'); });
    await assert.rejects(replaceDirAtomically(target, async (dir) => { await mkdir(dir); await writeFile(join(dir, 'a'), 'half'); throw new Error('killed half way'); }), /killed half way/);
    assert.equal(await readFile(join(target, 'a'), 'utf8'), 'first');
    // A temporary of a build that died (pid 2**22 + 1 is above Linux's pid_max) is removed by the next one.
    await mkdir(join(base, `.rootfs.tmp-${2 ** 22 + 1}-abcdef012345`));
    await replaceDirAtomically(target, async (dir) => { await mkdir(dir); await writeFile(join(dir, 'b'), 'second'); });
    assert.deepEqual(await readdir(target), ['b']);
    assert.deepEqual(await readdir(base), ['rootfs']);
  } finally {
    await rm(base, { recursive: true, force: true });
  }
});
