import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { lstat, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { closureByLdd, HELLO, HELLO_OUTPUT, helloRootfs } from '../../test/helpers/image.ts';
import { findTool, requireRoot } from '../../test/helpers/engines.ts';
import { describeEntry } from './entries.ts';
import { writeRootfsToDir, type Rootfs, type RootfsEntry } from '../rootfs/index.ts';
import { layoutRootfs } from './rootfs.ts';

let dir: string;
before(async () => { dir = await mkdtemp(join(tmpdir(), 'seabuild-rootfs-test-')); });
after(() => rm(dir, { recursive: true, force: true }));

const layer = (rootfs: Rootfs, name: string) => rootfs.layers.find((each) => each.name === name)?.entries ?? [];
const text = (entry: RootfsEntry | undefined) => (entry?.type === 'file' && 'content' in entry.source ? Buffer.from(entry.source.content).toString() : undefined);

describe('layoutRootfs', () => {
  test('system layer: exactly the closure, the loader, /etc, CA bundle, /tmp and the nonroot home', async () => {
    const closure = await closureByLdd(HELLO);
    const rootfs = await helloRootfs();
    assert.deepEqual(rootfs.layers.map((each) => each.name), ['system', 'app']);
    const system = new Map(layer(rootfs, 'system').map((entry) => [entry.path, entry]));
    const expected = new Set([
      '/etc/passwd', '/etc/group', '/etc/nsswitch.conf', '/etc/hosts', '/etc/ssl/certs/ca-certificates.crt', '/tmp', '/home/nonroot',
      ...closure.libraries.map((library) => library.realPath), closure.interpreter!.realPath, ...closure.symlinks.map((link) => link.path),
    ]);
    for (const [path, entry] of system) {
      const isParent = entry.type === 'dir' && [...expected].some((each) => each.startsWith(`${path}/`));
      assert.ok(expected.has(path) || isParent, `unexpected ${describeEntry({ ...entry, mode: 'mode' in entry ? entry.mode : 0 })}`);
    }
    for (const path of expected) assert.ok(system.has(path), `missing ${path}`);
    assert.equal(system.has('/bin/sh') || system.has('/usr/bin/sh'), false, 'no shell');
    for (const link of closure.symlinks) assert.deepEqual(system.get(link.path), { type: 'symlink', path: link.path, target: link.target, uid: 0, gid: 0 });
    assert.match(text(system.get('/etc/passwd')) ?? '', /^nonroot:x:65532:65532:nonroot:\/home\/nonroot:\/sbin\/nologin$/m);
    assert.match(text(system.get('/etc/group')) ?? '', /^nonroot:x:65532:$/m);
    assert.equal(text(system.get('/etc/nsswitch.conf')), 'passwd: files\ngroup: files\nhosts: files dns\n');
    assert.match(text(system.get('/etc/hosts')) ?? '', /^127\.0\.0\.1\tlocalhost$/m);
    assert.deepEqual(system.get('/tmp'), { type: 'dir', path: '/tmp', mode: 0o1777, uid: 0, gid: 0 });
    assert.deepEqual(system.get('/home/nonroot'), { type: 'dir', path: '/home/nonroot', mode: 0o700, uid: 65532, gid: 65532 });
  });

  test('merged /usr: the directory symlinks are links, the files sit at their real paths', async (t) => {
    if (!(await lstat('/lib64')).isSymbolicLink()) { t.skip('this host has no merged /usr'); return; }
    const system = new Map(layer(await helloRootfs(), 'system').map((entry) => [entry.path, entry]));
    assert.equal(system.get('/lib64')?.type, 'symlink');
    assert.equal(system.get('/lib')?.type, 'symlink');
    assert.equal(system.get('/usr/lib/x86_64-linux-gnu/libc.so.6')?.type, 'file');
  });

  test('app layer: the executable at /app, 0755 root; extra files keep the lower layer\'s directory modes', async () => {
    const extra: RootfsEntry = { type: 'file', path: '/tmp/seed.txt', mode: 0o644, uid: 0, gid: 0, source: { content: Buffer.from('x') }, sizeBytes: 1 };
    const rootfs = await helloRootfs({ extraAppFiles: [extra] });
    const app = layer(rootfs, 'app');
    assert.deepEqual(app.map((entry) => entry.path), ['/app', '/tmp', '/tmp/seed.txt']);
    assert.deepEqual(app[0], { type: 'file', path: '/app', mode: 0o755, uid: 0, gid: 0, source: { path: HELLO }, sizeBytes: (await lstat(HELLO)).size });
    assert.equal(app[1]?.type === 'dir' && app[1].mode, 0o1777);
    assert.equal(layer(await helloRootfs({ appPath: '/srv/web' }), 'app').at(-1)?.path, '/srv/web');
  });

  const bad: Array<{ name: string; code: string; input: () => Promise<Parameters<typeof layoutRootfs>[0]>; file?: string }> = [
    { name: 'a missing executable', code: 'ROOTFS_SOURCE_UNREADABLE', file: '/nonexistent/app', input: async () => ({ ...(await closureByLdd(HELLO)), executablePath: '/nonexistent/app' }) },
    { name: 'a missing CA bundle', code: 'CA_BUNDLE_MISSING', file: '/nonexistent/ca.crt', input: async () => ({ ...(await closureByLdd(HELLO)), executablePath: HELLO, caBundlePath: '/nonexistent/ca.crt' }) },
    { name: 'a missing library', code: 'ROOTFS_SOURCE_UNREADABLE', file: '/usr/lib/libdoesnotexist.so.1', input: async () => ({ executablePath: HELLO, libraries: [{ path: '/usr/lib/libdoesnotexist.so.1', realPath: '/usr/lib/libdoesnotexist.so.1' }], symlinks: [] }) },
    { name: 'two targets for one symlink', code: 'ROOTFS_CONFLICT', file: '/lib', input: async () => ({ executablePath: HELLO, libraries: [], symlinks: [{ path: '/lib', target: 'usr/lib' }, { path: '/lib', target: 'usr/lib64' }] }) },
    { name: 'the app below a symlink', code: 'ROOTFS_CONFLICT', file: '/lib/app', input: async () => ({ executablePath: HELLO, appPath: '/lib/app', libraries: [], symlinks: [{ path: '/lib', target: 'usr/lib' }] }) },
  ];
  for (const each of bad) {
    test(`bad input, ${each.name}: ${each.code}`, async () => {
      const input = await each.input();
      assert.throws(() => layoutRootfs(input), (error: any) => error.code === each.code && (each.file === undefined || error.file === each.file));
    });
  }
});

describe('writeRootfsToDir', () => {
  test('real files, links, modes and owners; the executable runs in a chroot of exactly that tree', async (t) => {
    const target = join(dir, 'rootfs');
    await writeRootfsToDir(await helloRootfs(), target);
    const mode = async (path: string) => (await lstat(join(target, path))).mode & 0o7777;
    assert.equal(await mode('tmp'), 0o1777);
    assert.equal(await mode('app'), 0o755);
    assert.equal(await mode('home/nonroot'), 0o700);
    assert.equal(await readFile(join(target, 'etc/ssl/certs/ca-certificates.crt'), 'utf8'), await readFile('/etc/ssl/certs/ca-certificates.crt', 'utf8'));
    if (!requireRoot(t, 'chroot(2) and chown')) return;
    const home = await lstat(join(target, 'home/nonroot'));
    assert.deepEqual([home.uid, home.gid], [65532, 65532]);
    // The empty environment the smoke run uses: nothing from the host leaks in.
    const chroot = findTool('chroot') ?? '/usr/sbin/chroot';
    assert.equal(execFileSync(chroot, [target, '/app'], { encoding: 'utf8', env: {} }), HELLO_OUTPUT);
    assert.equal(execFileSync(chroot, ['--userspec=65532:65532', target, '/app', '81'], { encoding: 'utf8', env: {} }), 'hello from scratch 9.0\n');
    assert.throws(() => execFileSync(chroot, [target, '/bin/sh', '-c', 'true'], { stdio: 'pipe', env: {} }), 'no shell in the image');
  });

  test('linkFilesBelow: the build\'s own files are hard-linked, every other file is copied', async () => {
    const own = join(dir, 'work');
    const theirs = join(dir, 'app-folder');
    await mkdir(own, { recursive: true });
    await mkdir(theirs, { recursive: true });
    await writeFile(join(own, 'app'), 'built');
    await writeFile(join(theirs, 'data.txt'), 'the user\'s');
    await writeFile(`${own}-sibling.txt`, 'beside, not below');
    const file = (path: string, source: string): RootfsEntry => ({ type: 'file', path, mode: 0o755, uid: 0, gid: 0, source: { path: source }, sizeBytes: 5 });
    const target = join(dir, 'linked');
    const theirMode = (await stat(join(theirs, 'data.txt'))).mode;
    await writeRootfsToDir({ layers: [{ name: 'app', entries: [file('/app', join(own, 'app')), file('/data.txt', join(theirs, 'data.txt')), file('/sibling.txt', `${own}-sibling.txt`)] }] }, target, { linkFilesBelow: own });
    const inode = async (path: string) => (await stat(path)).ino;
    assert.equal(await inode(join(target, 'app')), await inode(join(own, 'app')));
    assert.notEqual(await inode(join(target, 'data.txt')), await inode(join(theirs, 'data.txt')));
    assert.notEqual(await inode(join(target, 'sibling.txt')), await inode(`${own}-sibling.txt`));
    assert.equal((await stat(join(theirs, 'data.txt'))).mode, theirMode, 'the user\'s file keeps its mode');
    assert.equal(await readFile(join(target, 'data.txt'), 'utf8'), 'the user\'s');
  });

  test('refuses to write through a symlink that a later layer would cross', async () => {
    const rootfs: Rootfs = { layers: [
      { name: 'system', entries: [{ type: 'symlink', path: '/lib', target: '/etc', uid: 0, gid: 0 }] },
      { name: 'app', entries: [{ type: 'file', path: '/lib/passwd', mode: 0o644, uid: 0, gid: 0, source: { content: Buffer.from('x') }, sizeBytes: 1 }] },
    ] };
    await assert.rejects(writeRootfsToDir(rootfs, join(dir, 'through-link')), { code: 'ROOTFS_CONFLICT', file: '/lib/passwd' });
  });
});
