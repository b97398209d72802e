// pushImage against a real registry (distribution 2.8), checked with skopeo and a podman pull + run.
import assert from 'node:assert/strict';
import { appendFile, copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { imageManifestBlob, type Image } from '../src/image/image.ts';
import { pushImage } from '../src/image/push.ts';
import { createPodman, findTool, requireTools, run, startRegistry, type Podman, type Registry } from './helpers/engines.ts';
import { freePort } from './helpers/http.ts';
import { HELLO, HELLO_OUTPUT, helloImage, helloRootfs } from './helpers/image.ts';

let dir: string;
let image: Image;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'seabuild-image-push-'));
  image = (await helloImage({ workDir: dir })).image;
});
after(() => rm(dir, { recursive: true, force: true }));

describe('pushImage to an open registry', () => {
  let registry: Registry | undefined;
  let podman: Podman | undefined;
  before(async () => {
    if (findTool('docker-registry')) registry = await startRegistry();
    podman = await createPodman();
  });
  after(async () => { await registry?.stop(); await podman?.remove(); });

  test('uploads every blob, then the manifest; skopeo reads back the same manifest bytes', { timeout: 120_000 }, async (t) => {
    if (!requireTools(t, ['docker-registry', 'skopeo']) || !registry) return;
    const pushed = await pushImage(image, `${registry.address}/kitteh/hello:0.1.0`, { insecure: true });
    assert.equal(pushed.reference, `${registry.address}/kitteh/hello:0.1.0`);
    assert.equal(pushed.manifestDigest, imageManifestBlob(image).digest);
    assert.equal(pushed.uploadedBlobs.length, 3, 'two layers and the config');
    assert.deepEqual(pushed.existingBlobs, []);
    const raw = await run('skopeo', ['inspect', '--raw', '--tls-verify=false', `docker://${registry.address}/kitteh/hello:0.1.0`]);
    assert.equal(raw.exitCode, 0, raw.stderr);
    assert.equal(raw.stdout, imageManifestBlob(image).bytes.toString());
  });

  test('a second push uploads nothing; a rebuilt app uploads only its layer and config', { timeout: 120_000 }, async (t) => {
    if (!requireTools(t, ['docker-registry']) || !registry) return;
    const again = await pushImage(image, `${registry.address}/kitteh/hello:0.1.0`, { insecure: true });
    assert.deepEqual(again.uploadedBlobs, []);
    assert.equal(again.existingBlobs.length, 3);
    const changed = join(dir, 'hello-changed');
    await copyFile(HELLO, changed);
    await appendFile(changed, 'another build');
    const rebuilt = (await helloImage({ workDir: join(dir, 'rebuilt'), rootfs: await helloRootfs({ executablePath: changed }) })).image;
    const pushed = await pushImage(rebuilt, `${registry.address}/kitteh/hello:0.1.1`, { insecure: true });
    assert.deepEqual(pushed.existingBlobs, [rebuilt.layers[0]!.digest], 'the system layer is reused');
    assert.equal(pushed.uploadedBlobs.length, 2);
  });

  test('podman pulls the pushed image and runs it', { timeout: 180_000 }, async (t) => {
    if (!requireTools(t, ['docker-registry', 'podman', 'runc']) || !registry || !podman) return;
    const reference = `${registry.address}/kitteh/hello:0.1.0`;
    await pushImage(image, reference, { insecure: true });
    const pulled = await podman.podman(['pull', '--tls-verify=false', reference]);
    assert.equal(pulled.exitCode, 0, pulled.stderr);
    const ran = await podman.podman(['run', '--rm', '--network', 'none', reference]);
    assert.equal(ran.exitCode, 0, ran.stderr);
    assert.equal(ran.stdout, HELLO_OUTPUT.trimEnd());
  });
});

describe('pushImage with credentials', () => {
  const user = { username: 'seabuild', password: 'correct horse' };
  let registry: Registry | undefined;
  before(async () => { if (findTool('docker-registry') && findTool('htpasswd')) registry = await startRegistry({ htpasswd: user }); });
  after(() => registry?.stop());

  test('Basic auth: refused without or with wrong credentials (REGISTRY_UNAUTHORIZED), accepted with them', { timeout: 120_000 }, async (t) => {
    if (!requireTools(t, ['docker-registry', 'htpasswd']) || !registry) return;
    const reference = `${registry.address}/kitteh/hello:0.1.0`;
    await assert.rejects(pushImage(image, reference, { insecure: true }), { code: 'REGISTRY_UNAUTHORIZED' });
    await assert.rejects(pushImage(image, reference, { insecure: true, credentials: { ...user, password: 'wrong' } }), { code: 'REGISTRY_UNAUTHORIZED' });
    const pushed = await pushImage(image, reference, { insecure: true, credentials: user });
    assert.equal(pushed.manifestDigest, imageManifestBlob(image).digest);
  });
});

test('pushImage to a port nobody listens on: REGISTRY_UNREACHABLE', async () => {
  await assert.rejects(pushImage(image, `127.0.0.1:${await freePort()}/kitteh/hello:0.1.0`, { insecure: true }), { code: 'REGISTRY_UNREACHABLE' });
});
