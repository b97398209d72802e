import { after, describe, it, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { assertMachine, readElf, readElfFile, type ElfInfo } from './read.ts';
import { packOrSkip, removePackedPackages, SHARP_ARM64 } from '../../test/fixtures/elf/npm-pack.ts';

const repoRoot = resolve(import.meta.dirname, '../..');
const fixtures = join(repoRoot, 'test/fixtures/elf');
const nodeBinary = join(repoRoot, 'node_modules/node/bin/node');
const libc = '/lib/x86_64-linux-gnu/libc.so.6';

after(removePackedPackages);

/** What binutils' readelf says about a file: the oracle the reader is checked against. */
function readelf(file: string): Pick<ElfInfo, 'needed' | 'soname' | 'rpath' | 'runpath' | 'interpreter'> {
  const text = execFileSync('readelf', ['-W', '-d', '-l', file], { encoding: 'utf8', maxBuffer: 64 << 20 });
  const all = (label: string) => [...text.matchAll(new RegExp(`\\(${label}\\)\\s+[^[]*\\[([^\\]]*)\\]`, 'g'))].map((m) => m[1] as string);
  const split = (values: string[]) => values.flatMap((v) => v.split(':')).filter((v) => v !== '');
  const interpreter = /Requesting program interpreter: ([^\]]+)\]/.exec(text)?.[1];
  return {
    needed: all('NEEDED'),
    ...(all('SONAME')[0] ? { soname: all('SONAME')[0] } : {}),
    rpath: split(all('RPATH')),
    runpath: split(all('RUNPATH')),
    ...(interpreter ? { interpreter } : {}),
  };
}

function assertMatchesReadelf(info: ElfInfo, file: string): void {
  const { class: _c, endianness: _e, machine: _m, type: _t, ...strings } = info;
  assert.deepEqual(strings, readelf(file), file);
}

/** A copy of `bytes` with `patch` applied: crafted headers from real files. */
function patched(bytes: Uint8Array, patch: (view: DataView, copy: Uint8Array) => void): Uint8Array {
  const copy = new Uint8Array(bytes);
  patch(new DataView(copy.buffer), copy);
  return copy;
}

function assertElfError(fn: () => unknown, code: string, file: string): void {
  assert.throws(fn, (error: { code?: string; file?: string }) => {
    assert.equal(error.code, code);
    assert.equal(error.file, file);
    return true;
  });
}

describe('readElfFile on real binaries (readelf is the oracle)', () => {
  it('reads the Node 24 binary: exec, x86_64, its interpreter and DT_NEEDED in order', async () => {
    const info = await readElfFile(nodeBinary);
    assert.equal(info.machine, 'x86_64');
    assert.equal(info.class, 64);
    assert.equal(info.endianness, 'little');
    assert.equal(info.type, 'exec');
    assert.equal(info.interpreter, '/lib64/ld-linux-x86-64.so.2');
    assert.ok(info.needed.includes('libstdc++.so.6'));
    assertMatchesReadelf(info, nodeBinary);
  });

  it('reads /usr/bin/ls (a PIE, so type dyn) and libc (with a SONAME)', async () => {
    const ls = await readElfFile('/usr/bin/ls');
    assert.equal(ls.type, 'dyn');
    assertMatchesReadelf(ls, '/usr/bin/ls');
    const info = await readElfFile(libc);
    assert.equal(info.soname, 'libc.so.6');
    assertMatchesReadelf(info, libc);
  });

  it('gives the same record from bytes in memory as from the file', async () => {
    assert.deepEqual(readElf(readFileSync('/usr/bin/ls'), '/usr/bin/ls'), await readElfFile('/usr/bin/ls'));
  });

  it('reads a real aarch64 shared object (sharp’s arm64 addon from npm)', async (t: TestContext) => {
    const dir = await packOrSkip(t, SHARP_ARM64);
    if (!dir) return;
    const addon = join(dir, 'node_modules/@img/sharp-linux-arm64/lib/sharp-linux-arm64-0.35.5.node');
    const info = await readElfFile(addon);
    assert.equal(info.machine, 'aarch64');
    assert.equal(info.type, 'dyn');
    assert.ok(info.rpath.includes('$ORIGIN/../../sharp-libvips-linux-arm64/lib'), String(info.rpath));
    assertMatchesReadelf(info, addon);
    assertElfError(() => assertMachine(info, 'x86_64', addon), 'ELF_WRONG_MACHINE', addon);
  });
});

describe('readElfFile on the checked-in fixtures (stripped)', () => {
  const cases: Array<{ file: string; expect: Partial<ElfInfo> }> = [
    { file: 'bin/hello-runpath', expect: { needed: ['libgreet.so.1', 'libc.so.6'], runpath: ['$ORIGIN/../lib'], rpath: [] } },
    { file: 'bin/hello-rpath', expect: { needed: ['libouter.so.1', 'libc.so.6'], rpath: ['$ORIGIN/../lib'], runpath: [] } },
    { file: 'bin/chain-runpath', expect: { runpath: ['${ORIGIN}/../lib'] } },
    { file: 'bin/needs-missing', expect: { needed: ['libdoesnotexist.so.1', 'libc.so.6'] } },
    { file: 'lib/libgreet.so.1.0.0', expect: { soname: 'libgreet.so.1', needed: ['libc.so.6'], interpreter: undefined } },
    { file: 'lib/libinner.so.1', expect: { soname: 'libinner.so.1', needed: [] } },
  ];
  for (const { file, expect } of cases) {
    it(file, async () => {
      const path = join(fixtures, file);
      const info = await readElfFile(path);
      for (const [key, value] of Object.entries(expect)) assert.deepEqual(info[key as keyof ElfInfo], value, key);
      assertMatchesReadelf(info, path);
    });
  }
});

describe('bad input', () => {
  const greetPath = join(fixtures, 'lib/libgreet.so.1.0.0');
  const greet = readFileSync(greetPath);

  it('a text file: ELF_NOT_ELF', async () => {
    const file = join(fixtures, 'not-elf.txt');
    await assert.rejects(readElfFile(file), { code: 'ELF_NOT_ELF', file });
    assertElfError(() => readElf(new Uint8Array(0), 'empty'), 'ELF_NOT_ELF', 'empty');
  });

  it('a 32-bit file: ELF_UNSUPPORTED_CLASS', async () => {
    const file = join(fixtures, 'lib32/libthirtytwo.so.1');
    await assert.rejects(readElfFile(file), { code: 'ELF_UNSUPPORTED_CLASS', file });
  });

  it('a big-endian file: ELF_UNSUPPORTED_ENDIANNESS', () => {
    assertElfError(() => readElf(patched(greet, (_v, b) => { b[5] = 2; }), 'be'), 'ELF_UNSUPPORTED_ENDIANNESS', 'be');
  });

  it('another machine (i386, e_machine 3): ELF_UNSUPPORTED_MACHINE', () => {
    assertElfError(() => readElf(patched(greet, (v) => v.setUint16(18, 3, true)), 'i386'), 'ELF_UNSUPPORTED_MACHINE', 'i386');
  });

  it('a crafted aarch64 header (e_machine 183) reads as aarch64; assertMachine names both sides', () => {
    const info = readElf(patched(greet, (v) => v.setUint16(18, 183, true)), 'arm');
    assert.equal(info.machine, 'aarch64');
    assert.deepEqual(info.needed, ['libc.so.6']);
    assert.throws(() => assertMachine(info, 'x86_64', 'arm'), (error: Error & { code?: string; file?: string }) => {
      assert.equal(error.code, 'ELF_WRONG_MACHINE');
      assert.equal(error.file, 'arm');
      assert.match(error.message, /aarch64/);
      assert.match(error.message, /x86_64/);
      return true;
    });
    assert.doesNotThrow(() => assertMachine(info, 'aarch64', 'arm'));
  });

  const corruptions: Array<[string, Uint8Array]> = [
    ['cut inside the 64-byte header', greet.subarray(0, 20)],
    ['cut after the program headers', greet.subarray(0, 600)],
    ['program headers pointing past the end', patched(greet, (v) => v.setBigUint64(32, 1n << 40n, true))],
    ['an e_type of 9', patched(greet, (v) => v.setUint16(16, 9, true))],
    ['an EI_CLASS of 7', patched(greet, (_v, b) => { b[4] = 7; })],
  ];
  for (const [what, bytes] of corruptions) {
    it(`${what}: ELF_CORRUPT`, () => assertElfError(() => readElf(bytes, greetPath), 'ELF_CORRUPT', greetPath));
  }

  it('a file that does not exist: ELF_READ_FAILED', async () => {
    const file = join(fixtures, 'nope');
    await assert.rejects(readElfFile(file), { code: 'ELF_READ_FAILED', file });
  });
});

