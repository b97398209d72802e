import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { canonicalJson } from './digest.ts';
import {
  appendLayers, emptyImage, imageConfig, imageConfigBlob, imageId, imageManifest, imageManifestBlob, platformOf, withAnnotations, withConfig, type Image,
} from './image.ts';
import { createLayer, type Layer } from './layer.ts';
import type { RootfsEntry } from '../rootfs/index.ts';

const EPOCH = 1_700_000_000;
const TESTDATA = join(import.meta.dirname, 'testdata');
let dir: string;
let system: Layer;
let app: Layer;

function content(path: string, text: string, mode = 0o644): RootfsEntry {
  const bytes = Buffer.from(text);
  return { type: 'file', path, mode, uid: 0, gid: 0, source: { content: bytes }, sizeBytes: bytes.byteLength };
}

/** Layers from literal content only, so the goldens do not depend on the host's libraries. */
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'seabuild-image-test-'));
  system = await createLayer([content('/etc/passwd', 'root:x:0:0:root:/root:/sbin/nologin\n'), { type: 'dir', path: '/tmp', mode: 0o1777, uid: 0, gid: 0 }], { compression: 'gzip', sourceDateEpoch: EPOCH, workDir: dir });
  app = await createLayer([content('/app', '#!/not/a/shell\n', 0o755)], { compression: 'zstd', sourceDateEpoch: EPOCH, workDir: dir });
});
after(() => rm(dir, { recursive: true, force: true }));

function appImage(): Image {
  const base = appendLayers(emptyImage({ machine: 'x86_64', sourceDateEpoch: EPOCH }), [system, app], [{ createdBy: 'seabuild: system layer' }, { createdBy: 'seabuild: app layer', comment: 'the executable' }]);
  return withAnnotations(withConfig(base, {
    entrypoint: ['/app'],
    cmd: ['serve'],
    user: '65532:65532',
    env: { TZ: 'UTC', NODE_ENV: 'production' },
    exposedPorts: [8080, '9090/udp'],
    workingDir: '/',
    labels: { 'org.opencontainers.image.version': '0.1.0', 'org.opencontainers.image.title': 'kitteh' },
    stopSignal: 'SIGTERM',
    healthcheck: { test: ['CMD', '/app', 'healthcheck'], intervalMs: 30_000, timeoutMs: 3_000, startPeriodMs: 5_000, retries: 3 },
  }), { 'org.opencontainers.image.source': 'https://example.com/kitteh.git' });
}

/** Compares with testdata/NAME; `UPDATE_GOLDEN=1` rewrites it instead. */
async function assertGolden(name: string, actual: string): Promise<void> {
  const path = join(TESTDATA, name);
  if (process.env.UPDATE_GOLDEN === '1') await writeFile(path, `${actual}\n`);
  assert.equal(actual, (await readFile(path, 'utf8')).trimEnd(), `${name} differs; if intended, run with UPDATE_GOLDEN=1 and review the diff`);
}

describe('image config and manifest', () => {
  test('config matches the golden file', async () => {
    await assertGolden('config.golden.json', imageConfigBlob(appImage()).bytes.toString());
  });

  test('manifest matches the golden file', async () => {
    await assertGolden('manifest.golden.json', imageManifestBlob(appImage()).bytes.toString());
  });

  test('config: platform, created, diff_ids, history, docker field names, Healthcheck in nanoseconds', () => {
    const config = imageConfig(appImage()) as any;
    assert.equal(config.architecture, 'amd64');
    assert.equal(config.os, 'linux');
    assert.equal(config.created, '2023-11-14T22:13:20Z');
    assert.deepEqual(config.rootfs, { type: 'layers', diff_ids: [system.diffId, app.diffId] });
    assert.deepEqual(config.history.map((h: any) => [h.created, h.created_by]), [['2023-11-14T22:13:20Z', 'seabuild: system layer'], ['2023-11-14T22:13:20Z', 'seabuild: app layer']]);
    assert.deepEqual(config.config.Env, ['NODE_ENV=production', 'TZ=UTC'], 'sorted by name');
    assert.deepEqual(config.config.ExposedPorts, { '8080/tcp': {}, '9090/udp': {} });
    assert.deepEqual(config.config.Healthcheck, { Test: ['CMD', '/app', 'healthcheck'], Interval: 30e9, Timeout: 3e9, StartPeriod: 5e9, Retries: 3 });
  });

  test('manifest with a zstd layer: OCI media types, layer descriptors from the layers, config descriptor from the config bytes', () => {
    const image = appImage();
    const manifest = imageManifest(image) as any;
    const config = imageConfigBlob(image);
    assert.equal(manifest.mediaType, 'application/vnd.oci.image.manifest.v1+json');
    assert.deepEqual(manifest.config, { mediaType: 'application/vnd.oci.image.config.v1+json', digest: config.digest, size: config.bytes.byteLength });
    assert.deepEqual(manifest.layers, [
      { mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: system.digest, size: system.sizeBytes },
      { mediaType: 'application/vnd.oci.image.layer.v1.tar+zstd', digest: app.digest, size: app.sizeBytes },
    ]);
    assert.equal(imageId(image), config.digest);
  });

  test('gzip layers only: docker schema 2 media types, and the healthcheck also in container_config (where podman reads it)', () => {
    const image = withConfig(appendLayers(emptyImage({ machine: 'x86_64', sourceDateEpoch: EPOCH }), [system], [{ createdBy: 'seabuild: system layer' }]), { healthcheck: { test: ['CMD', '/app', 'healthcheck'], intervalMs: 1_000 } });
    const manifest = imageManifest(image) as any;
    assert.equal(manifest.mediaType, 'application/vnd.docker.distribution.manifest.v2+json');
    assert.equal(manifest.config.mediaType, 'application/vnd.docker.container.image.v1+json');
    assert.deepEqual(manifest.layers.map((layer: any) => layer.mediaType), ['application/vnd.docker.image.rootfs.diff.tar.gzip']);
    const config = imageConfig(image) as any;
    assert.deepEqual(config.container_config, { Healthcheck: config.config.Healthcheck });
    assert.deepEqual(config.config.Healthcheck, { Test: ['CMD', '/app', 'healthcheck'], Interval: 1e9, Timeout: undefined, StartPeriod: undefined, Retries: undefined });
  });

  test('canonical JSON: keys sorted at every level, no whitespace', () => {
    assert.equal(canonicalJson({ b: 1, a: { d: [{ z: 1, y: 2 }], c: undefined } }), '{"a":{"d":[{"y":2,"z":1}]},"b":1}');
  });

  test('arm64 carries variant v8', () => {
    assert.deepEqual(platformOf('aarch64'), { architecture: 'arm64', os: 'linux', variant: 'v8' });
    assert.equal((imageConfig(emptyImage({ machine: 'aarch64', sourceDateEpoch: EPOCH })) as any).variant, 'v8');
  });
});

describe('image values', () => {
  test('appendLayers and withConfig return new images; the base is untouched and frozen', () => {
    const base = emptyImage({ machine: 'x86_64', sourceDateEpoch: EPOCH });
    const withSystem = appendLayers(base, [system]);
    const configured = withConfig(withSystem, { user: '65532:65532' });
    assert.equal(base.layers.length, 0);
    assert.deepEqual(base.config, {});
    assert.equal(withSystem.layers.length, 1);
    assert.deepEqual(withSystem.history, [{ createdBy: 'seabuild' }]);
    assert.equal(configured.config.user, '65532:65532');
    assert.equal(withSystem.config.user, undefined);
    assert.ok(Object.isFrozen(base) && Object.isFrozen(configured));
    assert.notEqual(imageId(base), imageId(withSystem));
  });

  test('withConfig merges labels and env, replaces everything else', () => {
    const first = withConfig(emptyImage({ machine: 'x86_64', sourceDateEpoch: EPOCH }), { cmd: ['serve'], labels: { a: '1' }, env: { A: '1' } });
    const second = withConfig(first, { cmd: ['migrate'], labels: { b: '2' }, env: { B: '2' } });
    assert.deepEqual(second.config, { cmd: ['migrate'], labels: { a: '1', b: '2' }, env: { A: '1', B: '2' } });
  });

  test('the same layers and config give the same image ID, whoever assembles them', () => {
    assert.equal(imageId(appImage()), imageId(appImage()));
    assert.equal(imageManifestBlob(appImage()).digest, imageManifestBlob(appImage()).digest);
  });

  test('bad input: more history than layers, a bad SOURCE_DATE_EPOCH', () => {
    const base = emptyImage({ machine: 'x86_64', sourceDateEpoch: EPOCH });
    assert.throws(() => appendLayers(base, [system], [{ createdBy: 'a' }, { createdBy: 'b' }]), RangeError);
    assert.throws(() => emptyImage({ machine: 'x86_64', sourceDateEpoch: -1 }), { code: 'SOURCE_DATE_EPOCH_INVALID' });
  });
});
