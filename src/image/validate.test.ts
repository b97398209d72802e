import assert from 'node:assert/strict';
import { createWriteStream } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { after, before, describe, test } from 'node:test';
import tar from 'tar-stream';
import { helloImage } from '../../test/helpers/image.ts';
import { writeImageArchive } from './archive.ts';
import { describeEntry } from './entries.ts';
import { appendLayers, type Image } from './image.ts';
import { forEachTarMember } from './tar-read.ts';
import { validateImageArchive } from './validate.ts';

let dir: string;
let image: Image;
let good: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'seabuild-validate-test-'));
  image = (await helloImage({ workDir: dir })).image;
  good = (await writeImageArchive(image, join(dir, 'good.tar'), { references: ['kitteh/hello:0.1.0'] })).path;
});
after(() => rm(dir, { recursive: true, force: true }));

/** Copies the archive with `change` applied to each member's bytes (undefined drops the member). */
async function tamper(name: string, change: (member: string, bytes: Buffer) => Buffer | undefined): Promise<string> {
  const members: Array<[string, Buffer]> = [];
  await forEachTarMember([await readFile(good)], async (header, body) => {
    const chunks: Buffer[] = [];
    for await (const chunk of body) chunks.push(chunk);
    if (header.type === 'file') members.push([header.name, Buffer.concat(chunks)]);
  });
  const pack = tar.pack();
  const path = join(dir, `${name}.tar`);
  const written = pipeline(pack, createWriteStream(path));
  for (const [member, bytes] of members) {
    const changed = change(member, bytes);
    if (changed) pack.entry({ name: member }, changed);
  }
  pack.finalize();
  await written;
  return path;
}

const editJson = (bytes: Buffer, edit: (json: any) => void) => {
  const json = JSON.parse(bytes.toString());
  edit(json);
  return Buffer.from(JSON.stringify(json));
};

describe('validateImageArchive', () => {
  test('a good archive: config, manifest, references, per-layer and union file lists', async () => {
    const validated = await validateImageArchive(good);
    assert.equal(validated.config.architecture, 'amd64');
    assert.deepEqual(validated.references, ['docker.io/kitteh/hello:0.1.0']);
    assert.deepEqual(validated.dockerManifest[0]?.RepoTags, ['docker.io/kitteh/hello:0.1.0']);
    assert.equal(validated.layers.length, 2);
    assert.deepEqual(validated.layers.map((layer) => layer.diffId), validated.config.rootfs.diff_ids);
    assert.ok(validated.files.includes('file 0755 0:0 /app'));
    assert.ok(validated.files.includes('dir 1777 0:0 /tmp'));
    assert.ok(validated.files.includes(describeEntry({ type: 'dir', path: '/home/nonroot', mode: 0o700, uid: 65532, gid: 65532 })));
  });

  const firstLayer = () => image.layers[0]!.digest.slice('sha256:'.length);
  const bad: Array<{ name: string; archive: () => Promise<string>; expect: RegExp }> = [
    {
      name: 'a layer blob changed by one byte',
      archive: () => tamper('flipped', (member, bytes) => {
        if (member.endsWith(firstLayer())) bytes[bytes.length - 20]! ^= 0xff;
        return bytes;
      }),
      expect: /blobs\/sha256\/\w+: named by its digest, but its content is sha256:\w+/,
    },
    {
      name: 'a layer blob missing',
      archive: () => tamper('missing-layer', (member, bytes) => (member.endsWith(firstLayer()) ? undefined : bytes)),
      expect: /layer 0: blob sha256:\w+ is not in the archive/,
    },
    {
      name: 'index.json giving the manifest a wrong size',
      archive: () => tamper('index-size', (member, bytes) => (member === 'index.json' ? editJson(bytes, (json) => { json.manifests[0].size += 1; }) : bytes)),
      expect: /index\.json manifests\[0\] size: descriptor says (\d+), blob has (\d+) bytes/,
    },
    {
      name: 'manifest.json listing the layers in another order',
      archive: () => tamper('docker-layers', (member, bytes) => (member === 'manifest.json' ? editJson(bytes, (json) => { json[0].Layers.reverse(); }) : bytes)),
      expect: /manifest\.json Layers: \[.+\], index\.json's manifest says \[.+\]/,
    },
    {
      name: 'manifest.json without the index.json name',
      archive: () => tamper('docker-tags', (member, bytes) => (member === 'manifest.json' ? editJson(bytes, (json) => { json[0].RepoTags = ['other:1']; }) : bytes)),
      expect: /manifest\.json RepoTags: \[other:1\], index\.json ref\.name annotations: \[docker\.io\/kitteh\/hello:0\.1\.0\]/,
    },
    {
      name: 'no oci-layout',
      archive: () => tamper('no-layout', (member, bytes) => (member === 'oci-layout' ? undefined : bytes)),
      expect: /oci-layout: missing/,
    },
    {
      name: 'a config diff_id that does not match the layer',
      archive: async () => {
        const [system, app] = image.layers;
        const wrong = appendLayers({ ...image, layers: [], history: [] }, [{ ...system!, diffId: `sha256:${'0'.repeat(64)}` }, app!]);
        return (await writeImageArchive(wrong, join(dir, 'diff-id.tar'), { references: ['kitteh/hello:0.1.0'] })).path;
      },
      expect: new RegExp(`layer 0 diff_id: config says sha256:${'0'.repeat(64)}, uncompressed content is sha256:\\w+`),
    },
  ];
  for (const each of bad) {
    test(`${each.name}: IMAGE_INVALID naming both sides`, async () => {
      const archive = await each.archive();
      await assert.rejects(validateImageArchive(archive), (error: any) => {
        assert.equal(error.code, 'IMAGE_INVALID');
        assert.equal(error.file, archive);
        assert.match(error.message, each.expect);
        return true;
      });
    });
  }

  test('not a tar at all: IMAGE_INVALID', async () => {
    const path = join(dir, 'not-a-tar.tar');
    await writeFile(path, 'this is not a tar archive, not even close'.repeat(20));
    await assert.rejects(validateImageArchive(path), { code: 'IMAGE_INVALID', file: path });
  });

  test('a missing file: IMAGE_INVALID', async () => {
    await assert.rejects(validateImageArchive(join(dir, 'nope.tar')), { code: 'IMAGE_INVALID', file: join(dir, 'nope.tar') });
  });
});
