// The commit a build records (./app version, the report, the OCI revision label): HEAD, marked
// `-dirty` when tracked files differ from it, as `git describe --dirty` marks it (issue 25, item 8).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveConfig } from '../src/config.ts';

test('a build from a modified work tree records HEAD-dirty; untracked files do not count', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'seabuild-git-dirty-'));
  const git = (...args: string[]): string => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.invalid', ...args], { cwd: dir, encoding: 'utf8' }).trim();
  try {
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'dirty', version: '1.0.0', main: 'index.js' }));
    writeFileSync(join(dir, 'index.js'), 'console.log(1);\n');
    git('init', '-q');
    git('add', '.');
    git('commit', '-qm', 'first');
    const head = git('rev-parse', 'HEAD');
    assert.equal((await resolveConfig({ cwd: dir, env: {} })).commit, head);
    writeFileSync(join(dir, 'notes.txt'), 'untracked');
    assert.equal((await resolveConfig({ cwd: dir, env: {} })).commit, head);
    writeFileSync(join(dir, 'index.js'), 'console.log(2);\n');
    assert.equal((await resolveConfig({ cwd: dir, env: {} })).commit, `${head}-dirty`);
    git('add', 'index.js');
    assert.equal((await resolveConfig({ cwd: dir, env: {} })).commit, `${head}-dirty`, 'staged changes count too');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
