import { describe, it, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultLibraryDirs, readLdSoConfDirs } from './ldconf.ts';

/** A sysroot holding the given files (paths relative to it). */
async function makeSysroot(t: TestContext, files: Record<string, string>): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'seabuild-ldconf-'));
  t.after(() => rm(root, { recursive: true, force: true }));
  for (const [path, text] of Object.entries(files)) {
    await mkdir(join(root, path, '..'), { recursive: true });
    await writeFile(join(root, path), text);
  }
  return root;
}

describe('readLdSoConfDirs', () => {
  it('reads directories in order, following include globs sorted by name', async (t) => {
    const root = await makeSysroot(t, {
      'etc/ld.so.conf': '/first\ninclude /etc/ld.so.conf.d/*.conf\n/last/ # comment\n',
      'etc/ld.so.conf.d/b.conf': '/from-b\n',
      'etc/ld.so.conf.d/a.conf': '# only a comment\n\n/from-a\nhwcap 0 nosegneg\n/legacy=libc5\n',
      'etc/ld.so.conf.d/c.disabled': '/not-read\n',
      'etc/ld.so.conf.d/.hidden.conf': '/not-read-either\n',
    });
    assert.deepEqual(await readLdSoConfDirs(root), ['/first', '/from-a', '/legacy', '/from-b', '/last']);
  });

  it('resolves a relative include against the including file, with [..] and ? patterns', async (t) => {
    const root = await makeSysroot(t, {
      'etc/ld.so.conf': 'include conf.d/[0-9]?-*.conf\n',
      'etc/conf.d/10-x.conf': '/ten\n',
      'etc/conf.d/x1-y.conf': '/not-matched\n',
    });
    assert.deepEqual(await readLdSoConfDirs(root), ['/ten']);
  });

  it('reads each file once when includes loop, and gives nothing without ld.so.conf', async (t) => {
    const root = await makeSysroot(t, {
      'etc/ld.so.conf': 'include /etc/ld.so.conf\n/once\n/once\n',
    });
    assert.deepEqual(await readLdSoConfDirs(root), ['/once']);
    assert.deepEqual(await readLdSoConfDirs(await makeSysroot(t, {})), []);
  });
});

describe('defaultLibraryDirs', () => {
  it('lists Debian’s multiarch directories first, as `ld.so --help` prints them', () => {
    assert.deepEqual(defaultLibraryDirs('x86_64'), ['/lib/x86_64-linux-gnu', '/usr/lib/x86_64-linux-gnu', '/lib', '/usr/lib']);
    assert.deepEqual(defaultLibraryDirs('aarch64'), ['/lib/aarch64-linux-gnu', '/usr/lib/aarch64-linux-gnu', '/lib', '/usr/lib']);
  });

  it('matches the "system search path" lines of this machine’s loader (the oracle)', (t) => {
    const loader = '/lib64/ld-linux-x86-64.so.2';
    if (!existsSync(loader) || process.arch !== 'x64') return t.skip('no x86-64 glibc loader here');
    const help = execFileSync(loader, ['--help'], { encoding: 'utf8' });
    const dirs = [...help.matchAll(/^\s+(\S+) \(system search path\)$/gm)].map((m) => m[1]);
    assert.deepEqual(defaultLibraryDirs('x86_64'), dirs);
  });
});
