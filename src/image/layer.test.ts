import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import zlib from 'node:zlib';
import { forEachTarMember, type TarMember } from './tar-read.ts';
import { createLayer, type Compression, type Layer } from './layer.ts';
import type { RootfsEntry } from '../rootfs/index.ts';

const EPOCH = 1_700_000_000;
// A last component over ustar's 100-byte name field: only a PAX record can hold it.
const LONG_NAME = `/usr/share/doc/${'long-'.repeat(24)}name.txt`;
let dir: string;
let hostFile: string;

function content(path: string, text: string, mode = 0o644): RootfsEntry {
  const bytes = Buffer.from(text);
  return { type: 'file', path, mode, uid: 0, gid: 0, source: { content: bytes }, sizeBytes: bytes.byteLength };
}

function sampleEntries(): RootfsEntry[] {
  return [
    { type: 'dir', path: '/tmp', mode: 0o1777, uid: 0, gid: 0 },
    content('/etc/passwd', 'root:x:0:0:root:/root:/sbin/nologin\n'),
    { type: 'file', path: '/app', mode: 0o755, uid: 0, gid: 0, source: { path: hostFile }, sizeBytes: 3 * 65536 + 5 },
    { type: 'symlink', path: '/lib', target: 'usr/lib', uid: 0, gid: 0 },
    { type: 'dir', path: '/home/nonroot', mode: 0o700, uid: 65532, gid: 65532 },
    content(LONG_NAME, 'long\n'),
  ];
}

async function readLayer(layer: Layer): Promise<{ tar: Buffer; members: TarMember[] }> {
  const compressed = await readFile(layer.blobPath);
  const tar = layer.compression === 'gzip' ? zlib.gunzipSync(compressed) : zlib.zstdDecompressSync(compressed);
  const members: TarMember[] = [];
  await forEachTarMember([tar], async (header) => { members.push(header); });
  return { tar, members };
}

const sha256 = (bytes: Buffer) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'seabuild-layer-test-'));
  hostFile = join(dir, 'app.bin');
  await writeFile(hostFile, Buffer.alloc(3 * 65536 + 5, 7));
});
after(() => rm(dir, { recursive: true, force: true }));

describe('createLayer', () => {
  for (const compression of ['gzip', 'zstd'] as Compression[]) {
    test(`${compression}: digest, diffId and sizes describe the blob`, async () => {
      const layer = await createLayer(sampleEntries(), { compression, sourceDateEpoch: EPOCH, workDir: join(dir, compression) });
      const blob = await readFile(layer.blobPath);
      const { tar } = await readLayer(layer);
      assert.equal(layer.digest, sha256(blob));
      assert.equal(layer.sizeBytes, blob.byteLength);
      assert.equal(layer.diffId, sha256(tar));
      assert.equal(layer.uncompressedBytes, tar.byteLength);
      assert.equal(layer.mediaType, `application/vnd.oci.image.layer.v1.tar+${compression}`);
      assert.deepEqual(await readAll(layer.open()), blob);
    });
  }

  test('the same entries in any order give the same bytes; gzip and zstd the same tar', async () => {
    const a = await createLayer(sampleEntries(), { compression: 'gzip', sourceDateEpoch: EPOCH, workDir: join(dir, 'a') });
    const b = await createLayer(sampleEntries().reverse(), { compression: 'gzip', sourceDateEpoch: EPOCH, workDir: join(dir, 'b') });
    const z = await createLayer(sampleEntries(), { compression: 'zstd', sourceDateEpoch: EPOCH, workDir: join(dir, 'z') });
    assert.equal(a.digest, b.digest);
    assert.deepEqual(await readFile(a.blobPath), await readFile(b.blobPath));
    assert.equal(z.diffId, a.diffId);
    assert.notEqual(z.digest, a.digest);
  });

  test('members: sorted, parents first, fixed times and owners, PAX only for long names', async () => {
    const layer = await createLayer(sampleEntries(), { compression: 'gzip', sourceDateEpoch: EPOCH, workDir: join(dir, 'members') });
    const { tar, members } = await readLayer(layer);
    assert.deepEqual(members.map((m) => m.name), [
      'app', 'etc/', 'etc/passwd', 'home/', 'home/nonroot/', 'lib', 'tmp/', 'usr/', 'usr/share/', 'usr/share/doc/', LONG_NAME.slice(1),
    ]);
    for (const member of members) {
      assert.equal(member.mtime.getTime(), EPOCH * 1000, member.name);
      assert.equal(member.uname, '', member.name);
      assert.equal(member.gname, '', member.name);
    }
    const byName = new Map(members.map((m) => [m.name, m]));
    assert.equal(byName.get('tmp/')?.mode, 0o1777);
    assert.deepEqual([byName.get('home/nonroot/')?.uid, byName.get('home/nonroot/')?.gid, byName.get('home/nonroot/')?.mode], [65532, 65532, 0o700]);
    assert.equal(byName.get('home/')?.mode, 0o755, 'an implicit parent is 0755 root');
    assert.deepEqual([byName.get('lib')?.type, byName.get('lib')?.linkname], ['symlink', 'usr/lib']);
    assert.deepEqual([byName.get('app')?.mode, byName.get('app')?.size], [0o755, 3 * 65536 + 5]);
    // The raw headers: one PAX record (typeflag 'x') for the long name, holding only `path`.
    const paxRecords = rawHeaders(tar).filter((header) => header.typeflag === 'x');
    assert.equal(paxRecords.length, 1);
    assert.match(paxRecords[0]!.body, new RegExp(`^\\d+ path=${LONG_NAME.slice(1)}\\n$`));
    assert.doesNotMatch(tar.toString('latin1'), /atime=|ctime=/);
  });

  test('gzip header: no name, mtime 0, OS byte 3 (Unix)', async () => {
    const layer = await createLayer(sampleEntries(), { compression: 'gzip', sourceDateEpoch: EPOCH, workDir: join(dir, 'gzip-header') });
    const header = (await readFile(layer.blobPath)).subarray(0, 10);
    assert.deepEqual([...header.subarray(0, 4)], [0x1f, 0x8b, 8, 0], 'magic, deflate, FLG 0 (no FNAME)');
    assert.equal(header.readUInt32LE(4), 0, 'MTIME 0');
    assert.equal(header[9], 3);
  });

  test('records the regular files and their sizes for the size report', async () => {
    const layer = await createLayer(sampleEntries(), { compression: 'gzip', sourceDateEpoch: EPOCH, workDir: join(dir, 'report') });
    assert.deepEqual(layer.entries, [
      { path: '/app', sizeBytes: 3 * 65536 + 5 },
      { path: '/etc/passwd', sizeBytes: 36 },
      { path: LONG_NAME, sizeBytes: 5 },
    ]);
  });
});

describe('createLayer: bad input', () => {
  const cases: Array<{ name: string; entries: () => RootfsEntry[]; epoch?: number; code: string; file?: () => string }> = [
    { name: 'a path listed twice', entries: () => [content('/a', 'x'), content('/a', 'y')], code: 'ROOTFS_CONFLICT', file: () => '/a' },
    { name: 'a file below a symlink', entries: () => [{ type: 'symlink', path: '/lib', target: 'usr/lib', uid: 0, gid: 0 }, content('/lib/x.so', 'x')], code: 'ROOTFS_CONFLICT', file: () => '/lib/x.so' },
    { name: 'a relative path', entries: () => [content('etc/passwd', 'x')], code: 'ROOTFS_PATH_INVALID', file: () => 'etc/passwd' },
    { name: 'a path with ..', entries: () => [content('/etc/../passwd', 'x')], code: 'ROOTFS_PATH_INVALID' },
    { name: 'a missing host file', entries: () => [{ type: 'file', path: '/app', mode: 0o755, uid: 0, gid: 0, source: { path: join(dir, 'nope') }, sizeBytes: 1 }], code: 'ROOTFS_SOURCE_UNREADABLE', file: () => join(dir, 'nope') },
    { name: 'a host file larger than recorded', entries: () => [{ type: 'file', path: '/app', mode: 0o755, uid: 0, gid: 0, source: { path: hostFile }, sizeBytes: 10 }], code: 'ROOTFS_SOURCE_CHANGED', file: () => hostFile },
    { name: 'a host file smaller than recorded', entries: () => [{ type: 'file', path: '/app', mode: 0o755, uid: 0, gid: 0, source: { path: hostFile }, sizeBytes: 3 * 65536 + 6 }], code: 'ROOTFS_SOURCE_CHANGED', file: () => hostFile },
    { name: 'a host path that is a folder', entries: () => [{ type: 'file', path: '/app', mode: 0o755, uid: 0, gid: 0, source: { path: dir }, sizeBytes: 10 }], code: 'ROOTFS_SOURCE_UNREADABLE', file: () => dir },
    { name: 'a host path that is a folder, recorded as empty', entries: () => [{ type: 'file', path: '/app', mode: 0o755, uid: 0, gid: 0, source: { path: dir }, sizeBytes: 0 }], code: 'ROOTFS_SOURCE_UNREADABLE', file: () => dir },
    { name: 'a fractional SOURCE_DATE_EPOCH', entries: () => [content('/a', 'x')], epoch: 1.5, code: 'SOURCE_DATE_EPOCH_INVALID' },
    { name: 'a SOURCE_DATE_EPOCH past 2038', entries: () => [content('/a', 'x')], epoch: 2 ** 31, code: 'SOURCE_DATE_EPOCH_INVALID' },
  ];
  for (const each of cases) for (const compression of ['gzip', 'zstd'] as const) {
    test(`${compression}, ${each.name}: ${each.code}, and no blob or temp file left`, async () => {
      const workDir = join(dir, `bad-${each.code}-${Math.random().toString(36).slice(2)}`);
      await assert.rejects(createLayer(each.entries(), { compression, sourceDateEpoch: each.epoch ?? EPOCH, workDir }),
        (error: any) => error.code === each.code && (each.file === undefined || error.file === each.file()));
      assert.deepEqual(await readdir(workDir).catch(() => []), []);
    });
  }
});

/** The 512-byte headers of an uncompressed tar, with the body of each PAX record. */
function rawHeaders(tar: Buffer): Array<{ typeflag: string; body: string }> {
  const headers: Array<{ typeflag: string; body: string }> = [];
  for (let offset = 0; offset + 512 <= tar.length;) {
    const block = tar.subarray(offset, offset + 512);
    if (block.every((byte) => byte === 0)) break;
    const size = parseInt(block.subarray(124, 136).toString('latin1').replace(/\0.*$/, '').trim() || '0', 8);
    headers.push({ typeflag: String.fromCharCode(block[156]!), body: tar.subarray(offset + 512, offset + 512 + size).toString('latin1') });
    offset += 512 + Math.ceil(size / 512) * 512;
  }
  return headers;
}

async function readAll(stream: AsyncIterable<Buffer>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return Buffer.concat(chunks);
}
