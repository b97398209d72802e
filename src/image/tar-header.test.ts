import { test } from 'node:test';
import assert from 'node:assert/strict';
import tar from 'tar-stream';
import { encodeTarHeader, TAR_END, tarPadding, type TarMember } from './tar-header.ts';

/** The archive tar-stream writes for `members`, bodies of zeros. */
async function viaTarStream(members: readonly TarMember[]): Promise<Buffer> {
  const pack = tar.pack();
  const chunks: Buffer[] = [];
  const done = (async () => { for await (const chunk of pack) chunks.push(chunk as Buffer); })();
  for (const m of members) {
    const header = { name: m.name, type: m.type, mode: m.mode, uid: m.uid, gid: m.gid, mtime: new Date(m.mtime * 1000), ...(m.linkname !== undefined ? { linkname: m.linkname } : {}) };
    await new Promise<void>((resolve, reject) => {
      if (m.type === 'file') pack.entry({ ...header, size: m.size }, Buffer.alloc(m.size), (error) => (error ? reject(error) : resolve()));
      else pack.entry(header, (error) => (error ? reject(error) : resolve()));
    });
  }
  pack.finalize();
  await done;
  return Buffer.concat(chunks);
}

function viaEncoder(members: readonly TarMember[]): Buffer {
  return Buffer.concat([...members.flatMap((m) => (m.type === 'file' ? [encodeTarHeader(m), Buffer.alloc(m.size), tarPadding(m.size)] : [encodeTarHeader(m)])), TAR_END]);
}

const base = { uid: 0, gid: 0, size: 0, mtime: 1_700_000_000 };
const deep = Array.from({ length: 12 }, (_, i) => `directory-${i}`).join('/');
const cases: Record<string, TarMember[]> = {
  'files, folders and links': [
    { ...base, name: 'app', type: 'file', mode: 0o755, size: 1 },
    { ...base, name: 'etc/', type: 'directory', mode: 0o755 },
    { ...base, name: 'tmp/', type: 'directory', mode: 0o1777 },
    { ...base, name: 'lib/libc.so.6', type: 'symlink', mode: 0o777, linkname: 'libc-2.36.so' },
    { ...base, name: 'empty', type: 'file', mode: 0o644, size: 0 },
    { ...base, name: 'record', type: 'file', mode: 0o600, size: 512, uid: 1000, gid: 1000 },
    { ...base, name: 'odd', type: 'file', mode: 0o4755, size: 513 },
  ],
  'mode 0 takes the type default': [
    { ...base, name: 'f', type: 'file', mode: 0, size: 3 },
    { ...base, name: 'd/', type: 'directory', mode: 0 },
  ],
  'names at and past 100 bytes: split into prefix, else PAX': [
    { ...base, name: 'n'.repeat(100), type: 'file', mode: 0o644 },
    { ...base, name: `${'p'.repeat(60)}/${'n'.repeat(60)}`, type: 'file', mode: 0o644 },
    { ...base, name: `${deep}/file.js`, type: 'file', mode: 0o644, size: 10 },
    { ...base, name: 'x'.repeat(101), type: 'file', mode: 0o644 },
    { ...base, name: `${'p'.repeat(200)}/n`, type: 'file', mode: 0o644 },
    { ...base, name: `${deep}/${deep}/`, type: 'directory', mode: 0o755 },
  ],
  'UTF-8 names and long or UTF-8 link targets': [
    { ...base, name: 'café/ü.txt', type: 'file', mode: 0o644, size: 2 },
    { ...base, name: '日本/', type: 'directory', mode: 0o755 },
    { ...base, name: 'link', type: 'symlink', mode: 0o777, linkname: 't'.repeat(150) },
    { ...base, name: 'link2', type: 'symlink', mode: 0o777, linkname: 'naïve' },
    { ...base, name: 'link3', type: 'symlink', mode: 0o777, linkname: '' },
    { ...base, name: 'é'.repeat(60), type: 'symlink', mode: 0o777, linkname: 'é'.repeat(60) },
  ],
  'times and owners at their limits': [
    { ...base, name: 'a', type: 'file', mode: 0o644, mtime: 0 },
    { ...base, name: 'b', type: 'file', mode: 0o644, mtime: 2 ** 31 - 1, uid: 0o777777, gid: 65534 },
    { ...base, name: 'c', type: 'file', mode: 0o644, uid: 2 ** 21 },
  ],
};

for (const [name, members] of Object.entries(cases)) {
  test(`the same bytes as tar-stream: ${name}`, async () => {
    assert.deepEqual(viaEncoder(members), await viaTarStream(members));
  });
}

test('sizes of 8 GiB and more are written base-256, as tar-stream does', () => {
  const header = encodeTarHeader({ ...base, name: 'big', type: 'file', mode: 0o644, size: 2 ** 33 + 5 });
  assert.equal(header[124], 0x80);
  assert.equal(header.readUIntBE(130, 6), 2 ** 33 + 5);
});
