import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SeabuildError } from './errors.ts';
import { StagedOutputs } from './staged-outputs.ts';
import { removeOnInterrupt } from './work-dir.ts';

async function withFolder(run: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'seabuild-staged-'));
  try { await run(dir); } finally { await rm(dir, { recursive: true, force: true }); }
}

const contents = async (dir: string): Promise<Record<string, string>> => {
  const names = (await readdir(dir)).sort();
  return Object.fromEntries(await Promise.all(names.map(async (name) => [name, await readFile(join(dir, name), 'utf8').catch(() => '<dir>')] as const)));
};

test('nothing is replaced until publish(); then every output at once; no temporaries stay', async () => {
  await withFolder(async (dir) => {
    await writeFile(join(dir, 'app'), 'old app');
    const outputs = new StagedOutputs();
    await outputs.write(join(dir, 'app'), (temp) => writeFile(temp, 'new app'));
    await outputs.write(join(dir, 'app.report.json'), (temp) => writeFile(temp, 'new report'));
    await outputs.replaceDir(join(dir, 'rootfs'), async (temp) => { await mkdir(temp); await writeFile(join(temp, 'etc'), 'x'); });
    assert.equal(await readFile(join(dir, 'app'), 'utf8'), 'old app');
    assert.deepEqual(outputs.targets().map((t) => t.slice(dir.length + 1)), ['app', 'app.report.json', 'rootfs']);
    assert.equal([...removeOnInterrupt].filter((path) => path.startsWith(dir)).length, 3, 'an interrupted build removes the staged outputs');
    outputs.publish();
    assert.deepEqual(await contents(dir), { app: 'new app', 'app.report.json': 'new report', rootfs: '<dir>' });
    assert.equal([...removeOnInterrupt].filter((path) => path.startsWith(dir)).length, 0);
  });
});

test('a failed write removes its temporary and keeps the others staged; discard() removes them all', async () => {
  await withFolder(async (dir) => {
    await writeFile(join(dir, 'app'), 'old app');
    const outputs = new StagedOutputs();
    await outputs.write(join(dir, 'app'), (temp) => writeFile(temp, 'new app'));
    await assert.rejects(outputs.write(join(dir, 'app.image.tar'), async (temp) => { await writeFile(temp, 'half'); throw Object.assign(new Error('no space'), { code: 'ENOSPC' }); }),
      (error: SeabuildError) => error.code === 'OUTPUT_NO_SPACE' && error.file === dir && /app\.image\.tar; nothing was replaced/.test(error.message));
    outputs.discard();
    assert.deepEqual(await contents(dir), { app: 'old app' });
  });
});

test('a rename that fails half way: the outputs already published get their previous files back, the message says so', async () => {
  await withFolder(async (dir) => {
    await writeFile(join(dir, 'app'), 'old app');
    await writeFile(join(dir, 'app.image.tar'), 'old image');
    const outputs = new StagedOutputs();
    await outputs.write(join(dir, 'app'), (temp) => writeFile(temp, 'new app'));
    await outputs.write(join(dir, 'app.report.json'), (temp) => writeFile(temp, 'new report'));
    let staged = '';
    await outputs.write(join(dir, 'app.image.tar'), async (temp) => { staged = temp; await writeFile(temp, 'new image'); });
    // The third rename fails: its staged file is gone (as if removed by someone else) before publish.
    await rm(staged);
    assert.throws(() => outputs.publish(), (error: SeabuildError) => {
      assert.equal(error.code, 'OUTPUT_PUBLISH_FAILED');
      assert.equal(error.file, dir);
      assert.match(error.message, /could not put app\.image\.tar in place \(ENOENT\); the 2 outputs already in place got their previous files back/);
      return true;
    });
    assert.deepEqual(await contents(dir), { app: 'old app', 'app.image.tar': 'old image' });
  });
});

test('the first rename fails: nothing was replaced', async () => {
  await withFolder(async (dir) => {
    const outputs = new StagedOutputs();
    let staged = '';
    await outputs.write(join(dir, 'app'), async (temp) => { staged = temp; await writeFile(temp, 'new app'); });
    await rm(staged);
    assert.throws(() => outputs.publish(), (error: SeabuildError) => error.code === 'OUTPUT_PUBLISH_FAILED' && /nothing was replaced/.test(error.message));
    assert.deepEqual(await contents(dir), {});
  });
});
