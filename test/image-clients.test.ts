// The image archive against the real clients: docker 20.10, podman 4.3, skopeo, umoci
// (docs/TESTING.md). Each engine is private to this file and stopped at the end.
import assert from 'node:assert/strict';
import { lstat, mkdtemp, readdir, readlink, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { writeImageArchive, type ImageArchive } from '../src/image/archive.ts';
import { describeEntry } from '../src/image/entries.ts';
import { imageId, imageManifestBlob, type Image } from '../src/image/image.ts';
import { writeOciLayout } from '../src/image/oci-dir.ts';
import { validateImageArchive, type ValidatedImage } from '../src/image/validate.ts';
import type { Rootfs } from '../src/rootfs/index.ts';
import { createPodman, findTool, requireTools, run, startDockerd, type CommandResult, type Dockerd, type Podman } from './helpers/engines.ts';
import { HELLO_OUTPUT, helloImage } from './helpers/image.ts';

const REFERENCE = 'docker.io/kitteh/hello:0.1.0';
let dir: string;
let image: Image;
let rootfs: Rootfs;
let archive: ImageArchive;
let zstdArchive: ImageArchive;
let validated: ValidatedImage;
let layout: string;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'seabuild-image-clients-'));
  ({ image, rootfs } = await helloImage({ workDir: dir }));
  archive = await writeImageArchive(image, join(dir, 'hello.image.tar'), { references: ['kitteh/hello:0.1.0'] });
  const zstd = (await helloImage({ workDir: join(dir, 'zstd'), compression: 'zstd' })).image;
  zstdArchive = await writeImageArchive(zstd, join(dir, 'hello-zstd.image.tar'), { references: ['kitteh/hello:zstd'] });
  validated = await validateImageArchive(archive.path);
  layout = join(dir, 'layout');
  await writeOciLayout(image, layout, '0.1.0');
});
after(() => rm(dir, { recursive: true, force: true }));

function assertSucceeded(result: CommandResult, what: string): void {
  assert.equal(result.exitCode, 0, `${what} failed:\n${result.stderr}\n${result.stdout}`);
}

describe('skopeo', () => {
  test('inspect oci-archive: the manifest digest, platform and layers we wrote; the config byte for byte', async (t) => {
    if (!requireTools(t, ['skopeo'])) return;
    const inspected = await run('skopeo', ['inspect', `oci-archive:${archive.path}`]);
    assertSucceeded(inspected, 'skopeo inspect oci-archive:');
    const json = JSON.parse(inspected.stdout);
    assert.equal(json.Digest, archive.manifestDigest);
    assert.deepEqual([json.Architecture, json.Os], ['amd64', 'linux']);
    assert.deepEqual(json.Layers, image.layers.map((layer) => layer.digest));
    const rawConfig = await run('skopeo', ['inspect', '--raw', '--config', `oci-archive:${archive.path}`]);
    assertSucceeded(rawConfig, 'skopeo inspect --config');
    assert.deepEqual(JSON.parse(rawConfig.stdout), validated.config);
  });

  test('inspect docker-archive: the name, the config, one layer per diff_id', async (t) => {
    if (!requireTools(t, ['skopeo'])) return;
    const inspected = await run('skopeo', ['inspect', `docker-archive:${archive.path}`]);
    assertSucceeded(inspected, 'skopeo inspect docker-archive:');
    const json = JSON.parse(inspected.stdout);
    const named = await run('skopeo', ['inspect', `docker-archive:${archive.path}:${REFERENCE}`]);
    assertSucceeded(named, 'skopeo inspect docker-archive:PATH:REF');
    assert.equal(JSON.parse(named.stdout).Name, 'docker.io/kitteh/hello');
    assert.deepEqual(json.Labels, validated.config.config.Labels);
    assert.deepEqual(json.Layers, validated.config.rootfs.diff_ids);
  });

  test('inspect oci:DIR of the layout directory (a reference by name finds OCI manifests only, and this one is docker\'s schema 2)', async (t) => {
    if (!requireTools(t, ['skopeo'])) return;
    const inspected = await run('skopeo', ['inspect', `oci:${layout}`]);
    assertSucceeded(inspected, 'skopeo inspect oci:');
    assert.equal(JSON.parse(inspected.stdout).Digest, imageManifestBlob(image).digest);
  });
});

describe('docker 20.10', () => {
  let dockerd: Dockerd | undefined;
  before(async () => { if (findTool('dockerd')) dockerd = await startDockerd(); });
  after(() => dockerd?.stop());

  test('docker load; docker run --read-only --cap-drop ALL --network none prints the output', { timeout: 180_000 }, async (t) => {
    if (!requireTools(t, ['dockerd']) || !dockerd) return;
    const loaded = await dockerd.docker(['load', '-i', archive.path]);
    assertSucceeded(loaded, 'docker load');
    assert.match(loaded.stdout, /Loaded image: kitteh\/hello:0\.1\.0/);
    const inspected = JSON.parse((await dockerd.docker(['image', 'inspect', REFERENCE])).stdout)[0];
    assert.equal(inspected.Id, imageId(image));
    assert.equal(inspected.Config.User, '65532:65532');
    assert.deepEqual(inspected.Config.Entrypoint, ['/app']);
    assert.deepEqual(inspected.Config.Healthcheck, validated.config.config.Healthcheck, 'docker keeps the Healthcheck from the config');
    const ran = await dockerd.docker(['run', '--rm', '--read-only', '--cap-drop', 'ALL', '--network', 'none', REFERENCE]);
    assertSucceeded(ran, 'docker run');
    assert.equal(ran.stdout, HELLO_OUTPUT.trimEnd());
    const withArgument = await dockerd.docker(['run', '--rm', '--network', 'none', REFERENCE, '81']);
    assert.equal(withArgument.stdout, 'hello from scratch 9.0');
    const shell = await dockerd.docker(['run', '--rm', '--network', 'none', '--entrypoint', '/bin/sh', REFERENCE, '-c', 'true']);
    assert.notEqual(shell.exitCode, 0, 'there is no shell in the image');
  });
});

describe('podman 4.3', () => {
  let podman: Podman | undefined;
  before(async () => { podman = await createPodman(); });
  after(() => podman?.remove());

  for (const [name, which] of [['gzip', () => archive], ['zstd', () => zstdArchive]] as const) {
    test(`podman load; podman run --read-only --network none (${name} layers)`, { timeout: 180_000 }, async (t) => {
      if (!requireTools(t, ['podman', 'runc']) || !podman) return;
      const loaded = await podman.podman(['load', '-i', which().path]);
      assertSucceeded(loaded, 'podman load');
      const reference = which().references[0]!;
      assert.match(loaded.stdout, new RegExp(`Loaded image: ${reference.replaceAll('.', '\\.')}`), 'podman takes the full reference');
      const inspected = JSON.parse((await podman.podman(['image', 'inspect', reference])).stdout)[0];
      assert.equal(`sha256:${inspected.Id}`, imageId(image));
      const ran = await podman.podman(['run', '--rm', '--read-only', '--network', 'none', reference]);
      assertSucceeded(ran, 'podman run');
      assert.equal(ran.stdout, HELLO_OUTPUT.trimEnd());
    });
  }
});

describe('umoci', () => {
  test('umoci unpack of the layout: the files on disk are the rootfs, entry for entry', { timeout: 120_000 }, async (t) => {
    if (!requireTools(t, ['umoci'])) return;
    const bundle = join(dir, 'bundle');
    // umoci reads OCI manifests only: skopeo converts the docker schema 2 one (same layers, same files).
    assertSucceeded(await run('skopeo', ['copy', '--format', 'oci', `oci:${layout}`, `oci:${layout}-oci:0.1.0`]), 'skopeo copy --format oci');
    assertSucceeded(await run('umoci', ['unpack', '--image', `${layout}-oci:0.1.0`, bundle]), 'umoci unpack');
    const unpacked = await listTree(join(bundle, 'rootfs'));
    const laidOut = unionOfRootfs(rootfs);
    assert.deepEqual(unpacked, laidOut);
    assert.deepEqual(validated.files, laidOut, 'the validator reads the same list from the archive');
  });
});

/** `describeEntry` lines of a real directory tree (owners as stored: umoci unpack as root keeps them). */
async function listTree(root: string, prefix = ''): Promise<string[]> {
  const lines: string[] = [];
  for (const name of (await readdir(join(root, prefix))).sort()) {
    const path = `${prefix}/${name}`;
    const stats = await lstat(join(root, path));
    const type = stats.isSymbolicLink() ? 'symlink' : stats.isDirectory() ? 'dir' : 'file';
    const target = stats.isSymbolicLink() ? await readlink(join(root, path)) : undefined;
    lines.push(describeEntry({ type, path, mode: stats.mode & 0o7777, uid: stats.uid, gid: stats.gid, target }));
    if (stats.isDirectory()) lines.push(...await listTree(root, path));
  }
  return lines;
}

function unionOfRootfs(value: Rootfs): string[] {
  const byPath = new Map<string, string>();
  for (const layer of value.layers) for (const entry of layer.entries) byPath.set(entry.path, describeEntry({ ...entry, mode: 'mode' in entry ? entry.mode : undefined }));
  return [...byPath.entries()].sort(([a], [b]) => Buffer.compare(Buffer.from(a), Buffer.from(b))).map(([, line]) => line);
}
