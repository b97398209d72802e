// The build time when neither SOURCE_DATE_EPOCH nor a git commit gives one (a Docker build context
// leaves .git out): the newest of the app's own files, so a rebuilt asset gets a new Last-Modified.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveConfig } from '../src/config.ts';

test('without git: the newest modification time of the app\'s own files, not node_modules, dot folders or the output', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'seabuild-epoch-'));
  try {
    const at = (file: string, seconds: number): void => {
      mkdirSync(join(dir, file, '..'), { recursive: true });
      writeFileSync(join(dir, file), 'x');
      utimesSync(join(dir, file), seconds, seconds);
    };
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'epoch', version: '1.0.0', main: 'index.js' }));
    utimesSync(join(dir, 'package.json'), 1_600_000_000, 1_600_000_000);
    at('index.js', 1_600_000_100);
    at('public/site.css', 1_700_000_000);
    for (const ignored of ['node_modules/x/index.js', 'dist/epoch', '.cache/file']) at(ignored, 1_800_000_000);
    assert.equal((await resolveConfig({ cwd: dir, env: {} })).sourceDateEpoch, 1_700_000_000);
    assert.equal((await resolveConfig({ cwd: dir, env: { SOURCE_DATE_EPOCH: '12345' } })).sourceDateEpoch, 12345);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
