import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { appendFile, copyFile, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { helloImage, helloRootfs, TEST_EPOCH, HELLO } from '../../test/helpers/image.ts';
import { requireRoot, run } from '../../test/helpers/engines.ts';
import { writeImageArchive } from './archive.ts';
import { imageConfigBlob, imageId, imageManifestBlob, type Image } from './image.ts';
import { writeOciLayout } from './oci-dir.ts';
import { forEachTarMember, type TarMember } from './tar-read.ts';
import { validateImageArchive } from './validate.ts';

let dir: string;
let image: Image;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'seabuild-archive-test-'));
  image = (await helloImage({ workDir: join(dir, 'first') })).image;
});
after(() => rm(dir, { recursive: true, force: true }));

const sha256File = async (path: string) => createHash('sha256').update(await readFile(path)).digest('hex');

describe('writeImageArchive', () => {
  test('one tar that is an OCI layout and a docker-archive, members sorted with fixed headers', async () => {
    const archive = await writeImageArchive(image, join(dir, 'out', 'hello.tar'), { references: ['kitteh/hello:0.1.0', 'kitteh/hello:latest'] });
    assert.deepEqual(archive.references, ['docker.io/kitteh/hello:0.1.0', 'docker.io/kitteh/hello:latest']);
    assert.equal(archive.imageId, imageId(image));
    assert.equal(archive.digest, `sha256:${await sha256File(archive.path)}`);
    const members: TarMember[] = [];
    await forEachTarMember([await readFile(archive.path)], async (header) => { members.push(header); });
    const blobs = [imageConfigBlob(image).digest, imageManifestBlob(image).digest, ...image.layers.map((layer) => layer.digest)]
      .map((digest) => `blobs/sha256/${digest.slice(7)}`).sort();
    assert.deepEqual(members.map((member) => member.name), ['blobs/', 'blobs/sha256/', ...blobs, 'index.json', 'manifest.json', 'oci-layout']);
    for (const member of members) {
      assert.equal(member.mtime.getTime(), TEST_EPOCH * 1000);
      assert.deepEqual([member.uid, member.gid, member.mode], [0, 0, member.type === 'directory' ? 0o755 : 0o644]);
    }
    const validated = await validateImageArchive(archive.path);
    assert.deepEqual(validated.references, ['docker.io/kitteh/hello:0.1.0'], 'index.json names the first reference only');
    assert.deepEqual(validated.dockerManifest[0]?.RepoTags, archive.references, 'docker gets every reference');
    assert.deepEqual(validated.index.manifests[0].annotations, {
      'io.containerd.image.name': 'docker.io/kitteh/hello:0.1.0',
      'org.opencontainers.image.ref.name': 'docker.io/kitteh/hello:0.1.0',
    });
  });

  test('two builds with the same SOURCE_DATE_EPOCH: the same archive sha256 and image ID', async () => {
    const second = (await helloImage({ workDir: join(dir, 'second') })).image;
    const a = await writeImageArchive(image, join(dir, 'a.tar'), { references: ['kitteh/hello:0.1.0'] });
    const b = await writeImageArchive(second, join(dir, 'b.tar'), { references: ['kitteh/hello:0.1.0'] });
    assert.equal(await sha256File(a.path), await sha256File(b.path));
    assert.equal(a.digest, b.digest);
    assert.equal(a.imageId, b.imageId);
  });

  test('a rebuilt app keeps the system layer digest', async () => {
    const changed = join(dir, 'hello-changed');
    await copyFile(HELLO, changed);
    await appendFile(changed, 'a different build');
    const rebuilt = (await helloImage({ workDir: join(dir, 'rebuilt'), rootfs: await helloRootfs({ executablePath: changed }) })).image;
    assert.equal(rebuilt.layers[0]?.digest, image.layers[0]?.digest);
    assert.notEqual(rebuilt.layers[1]?.digest, image.layers[1]?.digest);
  });

  test('zstd layers validate too', async () => {
    const zstd = (await helloImage({ workDir: join(dir, 'zstd'), compression: 'zstd' })).image;
    const archive = await writeImageArchive(zstd, join(dir, 'zstd.tar'), { references: ['kitteh/hello:zstd'] });
    const validated = await validateImageArchive(archive.path);
    assert.deepEqual(validated.manifest.layers.map((layer: any) => layer.mediaType), Array(2).fill('application/vnd.oci.image.layer.v1.tar+zstd'));
    assert.equal(archive.imageId, imageId(image), 'the config holds diff_ids only, so the compression does not change the image ID');
  });

  test('bad references: IMAGE_REFERENCE_INVALID and no file', async () => {
    for (const references of [[], ['Not/Valid:1']]) {
      const target = join(dir, 'bad-ref', 'hello.tar');
      await assert.rejects(writeImageArchive(image, target, { references }), { code: 'IMAGE_REFERENCE_INVALID' });
      assert.deepEqual(await readdir(join(dir, 'bad-ref')).catch(() => []), []);
    }
  });

  test('a layer blob that is gone or changed size: a clear error, no archive and no temp file', async () => {
    const layer = image.layers.at(-1)!;
    const cases = [
      { code: 'ROOTFS_SOURCE_UNREADABLE', change: (blob: string) => rm(blob) },
      { code: 'ROOTFS_SOURCE_CHANGED', change: (blob: string) => appendFile(blob, 'x') },
      { code: 'ROOTFS_SOURCE_CHANGED', change: (blob: string) => writeFile(blob, 'short') },
    ];
    for (const [i, each] of cases.entries()) {
      const blob = join(dir, `blob-${i}`);
      await copyFile(layer.blobPath, blob);
      await each.change(blob);
      const broken: Image = { ...image, layers: [...image.layers.slice(0, -1), { ...layer, blobPath: blob }] };
      const out = join(dir, `broken-${i}`);
      await mkdir(out, { recursive: true });
      await assert.rejects(writeImageArchive(broken, join(out, 'hello.tar'), { references: ['kitteh/hello:0.1.0'] }), (error: any) => error.code === each.code && error.file === blob);
      assert.deepEqual(await readdir(out), []);
    }
  });

  test('an output path below a file (ENOTDIR): OUTPUT_NOT_WRITABLE, nothing written', async () => {
    const notADir = join(dir, 'not-a-dir');
    await writeFile(notADir, 'a file where a directory should be');
    await assert.rejects(writeImageArchive(image, join(notADir, 'hello.tar'), { references: ['kitteh/hello:0.1.0'] }), { code: 'OUTPUT_NOT_WRITABLE', file: notADir });
    assert.equal(await readFile(notADir, 'utf8'), 'a file where a directory should be');
  });

  test('an output dir on a read-only mount (EROFS, which stops root too): OUTPUT_NOT_WRITABLE, nothing written', async (t) => {
    if (!requireRoot(t, 'a read-only bind mount')) return;
    const source = join(dir, 'ro-source');
    const mountPoint = join(dir, 'ro');
    await mkdir(source);
    await mkdir(mountPoint);
    const mounted = await run('mount', ['--bind', '-o', 'ro', source, mountPoint]);
    assert.equal(mounted.exitCode, 0, mounted.stderr);
    try {
      await assert.rejects(writeImageArchive(image, join(mountPoint, 'hello.tar'), { references: ['kitteh/hello:0.1.0'] }),
        (error: any) => error.code === 'OUTPUT_NOT_WRITABLE' && error.file === mountPoint && /EROFS/.test(error.message));
      assert.deepEqual(await readdir(source), []);
    } finally {
      await run('umount', [mountPoint]);
    }
  });
});

describe('writeOciLayout', () => {
  test('a layout directory: oci-layout, index.json with the ref, every blob', async () => {
    const layout = join(dir, 'layout');
    await writeOciLayout(image, layout, '0.1.0');
    assert.deepEqual((await readdir(layout)).sort(), ['blobs', 'index.json', 'oci-layout']);
    const index = JSON.parse(await readFile(join(layout, 'index.json'), 'utf8'));
    assert.equal(index.manifests[0].annotations['org.opencontainers.image.ref.name'], '0.1.0');
    assert.equal(index.manifests[0].digest, imageManifestBlob(image).digest);
    assert.equal((await readdir(join(layout, 'blobs/sha256'))).length, 4);
    for (const name of await readdir(join(layout, 'blobs/sha256'))) assert.equal(await sha256File(join(layout, 'blobs/sha256', name)), name);
  });

  test('replaces an existing layout whole; refuses any other directory', async () => {
    const layout = join(dir, 'layout-again');
    await writeOciLayout(image, layout, '0.1.0');
    await writeFile(join(layout, 'blobs/sha256/stale'), 'left from before');
    await writeOciLayout(image, layout, 'latest');
    assert.equal((await readdir(join(layout, 'blobs/sha256'))).includes('stale'), false);
    const other = join(dir, 'not-a-layout');
    await mkdir(other);
    await writeFile(join(other, 'keep.txt'), 'mine');
    await assert.rejects(writeOciLayout(image, other, '0.1.0'), { code: 'OUTPUT_EXISTS', file: other });
    assert.deepEqual(await readdir(other), ['keep.txt']);
    await assert.rejects(writeOciLayout(image, join(dir, 'bad-ref-layout'), 'no spaces allowed'), { code: 'IMAGE_REFERENCE_INVALID' });
  });
});
