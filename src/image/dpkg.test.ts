import { describe, it, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findOwningPackages } from './dpkg.ts';

/** A dpkg database with the given info/*.list files and status stanzas. */
async function makeDpkgDir(t: TestContext, lists: Record<string, string[]>, status: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'seabuild-dpkg-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  await mkdir(join(dir, 'info'));
  for (const [name, paths] of Object.entries(lists)) await writeFile(join(dir, 'info', `${name}.list`), `/.\n${paths.join('\n')}\n`);
  await writeFile(join(dir, 'status'), status);
  return dir;
}

const STATUS = `Package: libc6
Status: install ok installed
Architecture: amd64
Version: 2.36-9+deb12u14

Package: libc6
Status: install ok installed
Architecture: i386
Version: 2.36-9+deb12u1

Package: coreutils
Status: install ok installed
Architecture: amd64
Version: 9.1-1

Package: oldlib
Status: deinstall ok config-files
Architecture: amd64
Version: 1.0
`;

describe('findOwningPackages with a made-up dpkg database', () => {
  it('finds owners under either merged-/usr spelling, with the version of the matching architecture', async (t) => {
    const dir = await makeDpkgDir(t, {
      'libc6:amd64': ['/lib/x86_64-linux-gnu', '/lib/x86_64-linux-gnu/libc.so.6', '/lib64/ld-linux-x86-64.so.2'],
      'libc6:i386': ['/lib/i386-linux-gnu/libc.so.6'],
      coreutils: ['/bin/ls'],
      oldlib: ['/usr/lib/x86_64-linux-gnu/libold.so.1'],
    }, STATUS);
    const owners = await findOwningPackages([
      '/usr/lib/x86_64-linux-gnu/libc.so.6', '/lib/x86_64-linux-gnu/libc.so.6', '/usr/lib64/ld-linux-x86-64.so.2',
      '/lib/i386-linux-gnu/libc.so.6', '/usr/bin/ls', '/usr/lib/x86_64-linux-gnu/libold.so.1', '/etc/unowned',
    ], { dpkgDir: dir });
    assert.deepEqual(Object.fromEntries(owners), {
      '/usr/lib/x86_64-linux-gnu/libc.so.6': { package: 'libc6', version: '2.36-9+deb12u14', architecture: 'amd64' },
      '/lib/x86_64-linux-gnu/libc.so.6': { package: 'libc6', version: '2.36-9+deb12u14', architecture: 'amd64' },
      '/usr/lib64/ld-linux-x86-64.so.2': { package: 'libc6', version: '2.36-9+deb12u14', architecture: 'amd64' },
      '/lib/i386-linux-gnu/libc.so.6': { package: 'libc6', version: '2.36-9+deb12u1', architecture: 'i386' },
      '/usr/bin/ls': { package: 'coreutils', version: '9.1-1', architecture: 'amd64' },
    });
  });

  it('prefers the package that lists the exact path over one listing its merged-/usr alias', async (t) => {
    const status = ['alias', 'exact'].map((name) => `Package: ${name}\nStatus: install ok installed\nVersion: 1\n`).join('\n');
    const dir = await makeDpkgDir(t, { alias: ['/lib/libx.so.1'], exact: ['/usr/lib/libx.so.1'] }, status);
    const owners = await findOwningPackages(['/usr/lib/libx.so.1', '/lib/libx.so.1'], { dpkgDir: dir });
    assert.equal(owners.get('/usr/lib/libx.so.1')?.package, 'exact');
    assert.equal(owners.get('/lib/libx.so.1')?.package, 'alias');
  });

  it('gives an empty map without a dpkg database (not Debian)', async () => {
    assert.equal((await findOwningPackages(['/lib/x86_64-linux-gnu/libc.so.6'], { dpkgDir: '/nonexistent/dpkg' })).size, 0);
  });
});

describe('findOwningPackages on this machine (dpkg-query is the oracle)', () => {
  it('owns libc under both spellings and the loader link, with dpkg-query’s version', async (t) => {
    if (!existsSync('/var/lib/dpkg/status')) {
      if (process.env.CI === 'true') assert.fail('no dpkg database on a CI machine of the Debian kind');
      return t.skip('not a Debian system');
    }
    const paths = ['/lib/x86_64-linux-gnu/libc.so.6', '/usr/lib/x86_64-linux-gnu/libc.so.6', '/lib64/ld-linux-x86-64.so.2', '/usr/bin/ls'];
    const owners = await findOwningPackages(paths);
    const version = (pkg: string) => execFileSync('dpkg-query', ['-W', '-f', '${Version}', pkg], { encoding: 'utf8' });
    for (const path of paths.slice(0, 3)) assert.deepEqual(owners.get(path), { package: 'libc6', version: version('libc6:amd64'), architecture: 'amd64' }, path);
    assert.deepEqual(owners.get('/usr/bin/ls'), { package: 'coreutils', version: version('coreutils'), architecture: 'amd64' });
  });
});
