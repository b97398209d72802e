import { after, before, describe, it, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { lstatSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { resolveClosure, type Closure } from './closure.ts';
import { packOrSkip, removePackedPackages, SHARP_X64 } from '../../test/fixtures/elf/npm-pack.ts';

const repoRoot = resolve(import.meta.dirname, '../..');
const fixtures = join(repoRoot, 'test/fixtures/elf');
const nodeBinary = join(repoRoot, 'node_modules/node/bin/node');
const x86 = { machine: 'x86_64' } as const;

after(removePackedPackages);

/** What `ldd` prints (the test oracle; the product never runs it): soname → path, or null for "not found". */
function ldd(file: string): { libraries: Map<string, string | null>; interpreter?: string } {
  const text = execFileSync('ldd', [file], { encoding: 'utf8' });
  const libraries = new Map<string, string | null>();
  let interpreter: string | undefined;
  for (const line of text.split('\n').map((l) => l.trim())) {
    const arrow = /^(\S+) => (not found|(\S+) \(0x[0-9a-f]+\))$/.exec(line);
    if (arrow) libraries.set(arrow[1] as string, arrow[3] ? resolve(arrow[3]) : null);
    else if (/^\/\S+ \(0x/.test(line)) interpreter = line.split(' ')[0];
  }
  return { libraries, ...(interpreter ? { interpreter } : {}) };
}

function pathsBySoname(closure: Closure): Map<string, string> {
  return new Map(closure.libraries.map((l) => [l.soname, l.path]));
}

function libraryOf(closure: Closure, soname: string) {
  const library = closure.libraries.find((l) => l.soname === soname);
  assert.ok(library, `${soname} in the closure`);
  return library;
}

describe('resolveClosure against ldd on this machine', () => {
  for (const [name, file] of [['the Node 24 binary', nodeBinary], ['/usr/bin/ls', '/usr/bin/ls']] as const) {
    it(`${name}: the same libraries at the same paths, and the same interpreter`, async () => {
      const closure = await resolveClosure([file], x86);
      const oracle = ldd(file);
      assert.deepEqual(pathsBySoname(closure), oracle.libraries);
      assert.equal(closure.interpreter?.path, oracle.interpreter);
      assert.ok(closure.libraries.every((l) => l.system));
    });
  }

  it('records the loader’s symlinks on the way (merged /usr: /lib64 → usr/lib64, /lib → usr/lib)', async () => {
    const closure = await resolveClosure([nodeBinary], x86);
    const expected = execFileSync('realpath', ['/lib64/ld-linux-x86-64.so.2'], { encoding: 'utf8' }).trim();
    assert.equal(closure.interpreter?.realPath, expected);
    const libstdcxx = libraryOf(closure, 'libstdc++.so.6');
    assert.equal(libstdcxx.realPath, execFileSync('realpath', [libstdcxx.path], { encoding: 'utf8' }).trim());
    const links = new Map(closure.symlinks.map((s) => [s.path, s.target]));
    for (const [path, target] of links) assert.equal(execFileSync('readlink', [path], { encoding: 'utf8' }).trim(), target);
    if (lstatSync('/lib').isSymbolicLink()) assert.ok(links.has('/lib') && links.has('/lib64'), 'merged-/usr directory links');
    assert.ok(closure.symlinks.some((s) => s.path.endsWith('libstdc++.so.6')), 'the soname link of libstdc++');
  });
});

describe('resolveClosure on the fixtures (ldd agrees)', () => {
  it('$ORIGIN RUNPATH: libgreet found in the sibling lib/, through its soname symlink', async () => {
    const root = join(fixtures, 'bin/hello-runpath');
    const closure = await resolveClosure([root], x86);
    const greet = libraryOf(closure, 'libgreet.so.1');
    assert.equal(greet.path, join(fixtures, 'lib/libgreet.so.1'));
    assert.equal(greet.realPath, join(fixtures, 'lib/libgreet.so.1.0.0'));
    assert.equal(greet.system, false);
    assert.equal(greet.foundVia, 'runpath');
    assert.deepEqual(greet.neededBy, [root]);
    assert.deepEqual(greet.symlinks.at(-1), { path: join(fixtures, 'lib/libgreet.so.1'), target: 'libgreet.so.1.0.0' });
    assert.ok(!closure.symlinks.some((s) => s.path.startsWith(fixtures)), 'host-side links stay out of the image list');
    assert.deepEqual(pathsBySoname(closure), ldd(root).libraries);
  });

  it('DT_RPATH is inherited down the loading chain: libinner found for libouter', async () => {
    const root = join(fixtures, 'bin/hello-rpath');
    const closure = await resolveClosure([root], x86);
    const inner = libraryOf(closure, 'libinner.so.1');
    assert.equal(inner.foundVia, 'rpath');
    assert.deepEqual(inner.neededBy, [join(fixtures, 'lib/libouter.so.1')]);
    assert.deepEqual(pathsBySoname(closure), ldd(root).libraries);
    assert.deepEqual(closure.libraries.map((l) => l.soname), ['libouter.so.1', 'libc.so.6', 'libinner.so.1'], 'breadth-first');
  });

  it('DT_RUNPATH is not inherited: libinner is LIB_NOT_FOUND, naming libouter', async () => {
    const root = join(fixtures, 'bin/chain-runpath');
    assert.equal(ldd(root).libraries.get('libinner.so.1'), null);
    await assert.rejects(resolveClosure([root], x86), (error: Error & { code?: string; file?: string }) => {
      assert.equal(error.code, 'LIB_NOT_FOUND');
      assert.equal(error.file, join(fixtures, 'lib/libouter.so.1'));
      assert.match(error.message, /libinner\.so\.1/);
      return true;
    });
  });

  it('a missing library: LIB_NOT_FOUND naming it, who needs it, and where it looked', async () => {
    const root = join(fixtures, 'bin/needs-missing');
    await assert.rejects(resolveClosure([root], x86), (error: Error & { code?: string; file?: string; fix?: string }) => {
      assert.equal(error.code, 'LIB_NOT_FOUND');
      assert.equal(error.file, root);
      assert.match(error.message, /libdoesnotexist\.so\.1/);
      assert.match(error.message, /\/usr\/lib/);
      assert.match(error.fix ?? '', /extraLibraryDirs/);
      return true;
    });
  });

  it('a root for another machine: ELF_WRONG_MACHINE; a non-ELF root: ELF_NOT_ELF', async (t: TestContext) => {
    const dir = await mkdtemp(join(tmpdir(), 'seabuild-closure-'));
    t.after(() => rm(dir, { recursive: true, force: true }));
    const bytes = await readFile(join(fixtures, 'bin/hello-runpath'));
    new DataView(bytes.buffer, bytes.byteOffset).setUint16(18, 183, true);
    const arm = join(dir, 'hello-arm64');
    await writeFile(arm, bytes);
    await assert.rejects(resolveClosure([arm], x86), { code: 'ELF_WRONG_MACHINE', file: arm });
    const text = join(fixtures, 'not-elf.txt');
    await assert.rejects(resolveClosure([text], x86), { code: 'ELF_NOT_ELF', file: text });
  });
});

describe('resolveClosure in a fake sysroot', () => {
  let sysroot = '';
  const hostLibDir = dirname(execFileSync('realpath', ['/lib/x86_64-linux-gnu/libc.so.6'], { encoding: 'utf8' }).trim());

  before(async () => {
    sysroot = await mkdtemp(join(tmpdir(), 'seabuild-sysroot-'));
    const at = (path: string) => join(sysroot, path);
    await mkdir(at('usr/lib/x86_64-linux-gnu'), { recursive: true });
    await mkdir(at('usr/lib64'), { recursive: true });
    await symlink('usr/lib', at('lib'));
    await symlink('usr/lib64', at('lib64'));
    await symlink('/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2', at('usr/lib64/ld-linux-x86-64.so.2'));
    for (const name of ['libc.so.6', 'ld-linux-x86-64.so.2']) await copyFile(join(hostLibDir, name), at(`usr/lib/x86_64-linux-gnu/${name}`));
    // ld.so.conf lists two directories whose libc.so.6 is of another class and another machine:
    // ld.so skips both and keeps searching.
    await mkdir(at('etc/ld.so.conf.d'), { recursive: true });
    await writeFile(at('etc/ld.so.conf'), '# test sysroot\ninclude /etc/ld.so.conf.d/*.conf\n');
    await writeFile(at('etc/ld.so.conf.d/10-wrong.conf'), '/opt/wrong-class\n/opt/wrong-machine/  # trailing slash\n');
    await writeFile(at('etc/ld.so.conf.d/20-conf.conf'), '/opt/conf\n');
    await writeFile(at('etc/ld.so.conf.d/ignored.txt'), '/opt/not-a-conf-file\n');
    await mkdir(at('opt/wrong-class'), { recursive: true });
    await copyFile(join(fixtures, 'lib32/libthirtytwo.so.1'), at('opt/wrong-class/libc.so.6'));
    await mkdir(at('opt/wrong-machine'), { recursive: true });
    const arm = await readFile(join(fixtures, 'lib/libinner.so.1'));
    new DataView(arm.buffer, arm.byteOffset).setUint16(18, 183, true);
    await writeFile(at('opt/wrong-machine/libc.so.6'), arm);
    for (const dir of ['opt/conf', 'opt/extra', 'opt/not-a-conf-file']) {
      await mkdir(at(dir), { recursive: true });
      await copyFile(join(fixtures, 'lib/libinner.so.1'), at(`${dir}/libdoesnotexist.so.1`));
    }
    await symlink('/opt/loop', at('opt/loop'));
  });

  after(() => rm(sysroot, { recursive: true, force: true }));

  it('looks up system paths under the sysroot; $ORIGIN paths stay on the host', async () => {
    const root = join(fixtures, 'bin/hello-runpath');
    const closure = await resolveClosure([root], { ...x86, sysroot });
    assert.deepEqual(closure.interpreter, {
      path: '/lib64/ld-linux-x86-64.so.2',
      realPath: '/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2',
      hostPath: join(sysroot, 'usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2'),
      symlinks: [
        { path: '/lib64', target: 'usr/lib64' },
        { path: '/usr/lib64/ld-linux-x86-64.so.2', target: '/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2' },
        { path: '/lib', target: 'usr/lib' },
      ],
    });
    const c = libraryOf(closure, 'libc.so.6');
    assert.deepEqual(
      { path: c.path, realPath: c.realPath, hostPath: c.hostPath, system: c.system, foundVia: c.foundVia },
      { path: '/lib/x86_64-linux-gnu/libc.so.6', realPath: '/usr/lib/x86_64-linux-gnu/libc.so.6', hostPath: join(sysroot, 'usr/lib/x86_64-linux-gnu/libc.so.6'), system: true, foundVia: 'default' },
    );
    assert.equal(libraryOf(closure, 'libgreet.so.1').system, false);
    assert.deepEqual(closure.symlinks.map((s) => s.path), ['/lib', '/lib64', '/usr/lib64/ld-linux-x86-64.so.2']);
    assert.deepEqual(closure.libraries.map((l) => l.soname), ['libgreet.so.1', 'libc.so.6'], 'ld-linux matched by soname, not searched');
  });

  it('ld.so.conf directories (from include globs) come before extraLibraryDirs, which come before the defaults', async () => {
    const root = join(fixtures, 'bin/needs-missing');
    const withConf = await resolveClosure([root], { ...x86, sysroot, extraLibraryDirs: ['/opt/extra'] });
    const found = libraryOf(withConf, 'libinner.so.1');
    assert.deepEqual([found.path, found.foundVia], ['/opt/conf/libdoesnotexist.so.1', 'ld.so.conf']);
    await rm(join(sysroot, 'etc/ld.so.conf.d/20-conf.conf'));
    const withExtra = await resolveClosure([root], { ...x86, sysroot, extraLibraryDirs: ['/opt/extra'] });
    assert.deepEqual([libraryOf(withExtra, 'libinner.so.1').path, libraryOf(withExtra, 'libinner.so.1').foundVia], ['/opt/extra/libdoesnotexist.so.1', 'extra']);
    await assert.rejects(resolveClosure([root], { ...x86, sysroot }), { code: 'LIB_NOT_FOUND', file: root });
  });

  it('expands $LIB and ${PLATFORM} in RUNPATH (to Debian’s lib/x86_64-linux-gnu and x86_64)', async (t: TestContext) => {
    const dir = await mkdtemp(join(tmpdir(), 'seabuild-tokens-'));
    t.after(() => rm(dir, { recursive: true, force: true }));
    const original = await readFile(join(fixtures, 'bin/hello-runpath'));
    const at = original.indexOf('$ORIGIN/../lib\0');
    for (const [runpath, libDir] of [['/$LIB', 'lib/x86_64-linux-gnu'], ['/p/${PLATFORM}', 'p/x86_64']] as const) {
      const bytes = Buffer.from(original);
      bytes.fill(0, at, at + 14).write(runpath, at);
      const root = join(dir, `hello-${libDir.replaceAll('/', '-')}`);
      await writeFile(root, bytes);
      await mkdir(join(sysroot, libDir), { recursive: true });
      await copyFile(join(fixtures, 'lib/libgreet.so.1.0.0'), join(sysroot, libDir, 'libgreet.so.1'));
      const greet = libraryOf(await resolveClosure([root], { ...x86, sysroot }), 'libgreet.so.1');
      assert.deepEqual([greet.path, greet.foundVia, greet.system], [`/${libDir}/libgreet.so.1`, 'runpath', true]);
    }
  });

  it('a symlink loop on the way: LIB_SYMLINK_LOOP', async () => {
    const root = join(fixtures, 'bin/needs-missing');
    await assert.rejects(resolveClosure([root], { ...x86, sysroot, extraLibraryDirs: ['/opt/loop'] }), { code: 'LIB_SYMLINK_LOOP' });
  });

  it('an interpreter missing from the sysroot: LIB_NOT_FOUND naming the program', async (t: TestContext) => {
    const empty = await mkdtemp(join(tmpdir(), 'seabuild-sysroot-empty-'));
    t.after(() => rm(empty, { recursive: true, force: true }));
    const root = join(fixtures, 'bin/hello-runpath');
    await assert.rejects(resolveClosure([root], { ...x86, sysroot: empty }), { code: 'LIB_NOT_FOUND', file: root });
  });
});

describe('resolveClosure with sharp’s prebuilt addon (npm packages)', () => {
  it('finds libvips-cpp through the addon’s $ORIGIN/../../sharp-libvips-linux-x64/lib', async (t: TestContext) => {
    const dir = await packOrSkip(t, SHARP_X64);
    if (!dir) return;
    const addon = join(dir, 'node_modules/@img/sharp-linux-x64/lib/sharp-linux-x64-0.35.5.node');
    const closure = await resolveClosure([nodeBinary, addon], x86);
    const vips = closure.libraries.find((l) => l.soname.startsWith('libvips-cpp.so'));
    assert.ok(vips, 'libvips-cpp in the closure');
    assert.equal(dirname(vips.path), join(dir, 'node_modules/@img/sharp-libvips-linux-x64/lib'));
    assert.equal(vips.system, false);
    assert.deepEqual(vips.neededBy, [addon]);
    const oracle = ldd(addon).libraries;
    for (const [soname, path] of oracle) assert.equal(pathsBySoname(closure).get(soname), path, soname);
    assert.ok(closure.libraries.filter((l) => l.system).every((l) => oracle.has(l.soname) || ldd(nodeBinary).libraries.has(l.soname)));
    assert.equal(closure.libraries.filter((l) => l.soname === 'libstdc++.so.6').length, 1, 'one libstdc++ for node and the addon');
  });
});
