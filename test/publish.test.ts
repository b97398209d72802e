// `seabuild build --push` as a release script uses it, against a real registry (distribution 2.8):
// several tags, --image-refs, the SBOMs found from the image digest alone, a registry that refuses
// the SBOM (the image still lands, the refusal is reported), one that refuses the push (exit 1 with
// its own error text), and a push cut half way that a rerun finishes without sending a byte twice.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { copyFixture, removeFixture } from './helpers/fixture.ts';
import { runSeabuild } from './helpers/cli.ts';
import { requireTools, run, startRegistry, type Registry } from './helpers/engines.ts';
import { startRefusingProxy } from './helpers/registry-proxy.ts';
import { startTcpProxy } from './helpers/tcp-proxy.ts';
import { helloImage } from './helpers/image.ts';
import { pushImage } from '../src/image/push.ts';
import { imageManifestBlob, type Image } from '../src/image/image.ts';
import { layoutBlobs } from '../src/image/layout.ts';

const INDEX = 'application/vnd.oci.image.index.v1+json';
const MANIFEST = 'application/vnd.oci.image.manifest.v1+json';

async function get(address: string, path: string, accept = `${INDEX}, ${MANIFEST}`): Promise<{ status: number; body: Buffer }> {
  const answer = await fetch(`http://${address}${path}`, { headers: { accept } });
  return { status: answer.status, body: Buffer.from(await answer.arrayBuffer()) };
}

describe('build --push', () => {
  let app: string;
  let registry: Registry;
  before(async () => {
    app = await copyFixture('hello');
    registry = await startRegistry();
  });
  after(async () => { await registry?.stop(); await removeFixture(app); });

  test('pushes every --tag, writes --image-refs, and attaches both SBOMs discoverable from the digest', { timeout: 300_000 }, async (t) => {
    if (!requireTools(t, ['docker-registry', 'skopeo'])) return;
    const image = `${registry.address}/acme/hello`;
    const built = await runSeabuild(['build', '--no-verify', '--push', '--insecure-registry', '--image-name', image, '--tag', '1.2.3', '--tag', 'stable', '--image-refs', 'dist/image-refs.txt'], { cwd: app });
    assert.equal(built.exitCode, 0, built.all);
    const digestRef = readFileSync(join(app, 'dist/image-refs.txt'), 'utf8').trim();
    const digest = digestRef.slice(digestRef.indexOf('@') + 1);
    assert.equal(digestRef, `${image}@${digest}`);
    for (const tag of ['1.2.3', 'stable']) {
      const inspected = await run('skopeo', ['inspect', '--tls-verify=false', `docker://${image}:${tag}`]);
      assert.equal(JSON.parse(inspected.stdout).Digest, digest, tag);
    }
    // distribution 2.8 has no referrers API: the index under the referrers tag schema stands in.
    assert.equal((await get(registry.address, `/v2/acme/hello/referrers/${digest}`)).status, 404);
    const hexTag = `sha256-${digest.slice('sha256:'.length)}`;
    const index = JSON.parse((await run('skopeo', ['inspect', '--raw', '--tls-verify=false', `docker://${image}:${hexTag}`])).stdout);
    assert.deepEqual(index.manifests.map((m: any) => m.artifactType).sort(), ['application/spdx+json', 'application/vnd.cyclonedx+json']);
    for (const [artifactType, file] of [['application/spdx+json', 'hello-fixture.spdx.json'], ['application/vnd.cyclonedx+json', 'hello-fixture.cdx.json']] as const) {
      const descriptor = index.manifests.find((m: any) => m.artifactType === artifactType);
      const artifact = JSON.parse((await get(registry.address, `/v2/acme/hello/manifests/${descriptor.digest}`)).body.toString());
      assert.equal(artifact.subject.digest, digest, 'the artifact names the image as its subject');
      const blob = await get(registry.address, `/v2/acme/hello/blobs/${artifact.layers[0].digest}`);
      assert.equal(blob.body.toString(), readFileSync(join(app, 'dist', file), 'utf8'));
    }
    // cosign download sbom / ko: the `sha256-<hex>.sbom` tag.
    const cosign = JSON.parse((await run('skopeo', ['inspect', '--raw', '--tls-verify=false', `docker://${image}:${hexTag}.sbom`])).stdout);
    assert.deepEqual(cosign.layers.map((l: any) => l.mediaType), ['text/spdx+json', 'application/vnd.cyclonedx+json']);
  });

  test('a registry that refuses the SBOM artifacts: the image is pushed, exit 0, the refusal reported with the registry\'s text', { timeout: 300_000 }, async (t) => {
    if (!requireTools(t, ['docker-registry', 'skopeo'])) return;
    const proxy = await startRefusingProxy(registry.address, (method, path) => method === 'PUT' && /\/manifests\/sha256[:-]/.test(path), 'artifacts are not allowed in this repository');
    try {
      const image = `${proxy.address}/acme/policy`;
      const built = await runSeabuild(['build', '--no-verify', '--push', '--insecure-registry', '--image-name', image], { cwd: app });
      assert.equal(built.exitCode, 0, built.all);
      assert.match(built.stderr, /SBOM was not attached: .*DENIED: artifacts are not allowed in this repository/);
      assert.ok(proxy.refused.length > 0);
      const inspected = await run('skopeo', ['inspect', '--tls-verify=false', `docker://${registry.address}/acme/policy:1.2.3`]);
      assert.equal(inspected.exitCode, 0, inspected.stderr);
    } finally { await proxy.stop(); }
  });

  test('a registry that refuses the push: exit 1 with the registry\'s own error text', { timeout: 300_000 }, async (t) => {
    if (!requireTools(t, ['docker-registry'])) return;
    const readOnly = await startRegistry({ readOnly: true });
    try {
      const built = await runSeabuild(['build', '--no-verify', '--push', '--insecure-registry', '--image-name', `${readOnly.address}/acme/hello`], { cwd: app });
      assert.equal(built.exitCode, 1, built.all);
      assert.match(built.stderr, /POST blob upload answered 405 \(Method not allowed/);
    } finally { await readOnly.stop(); }
  });
});

function blobBytesOf(image: Image): number {
  return layoutBlobs(image).filter((blob) => blob.digest !== imageManifestBlob(image).digest).reduce((n, blob) => n + blob.sizeBytes, 0);
}

/** The registry serves the manifest as sent, and skopeo copies every blob with its digest checked. */
async function assertComplete(image: Image, reference: string, copyDir: string): Promise<void> {
  const raw = await run('skopeo', ['inspect', '--raw', '--tls-verify=false', `docker://${reference}`]);
  assert.equal(raw.stdout, imageManifestBlob(image).bytes.toString());
  const copied = await run('skopeo', ['copy', '--src-tls-verify=false', `docker://${reference}`, `oci:${copyDir}:1`]);
  assert.equal(copied.exitCode, 0, `every blob verifies: ${copied.stderr}`);
}

describe('an interrupted push', () => {
  let dir: string;
  let registry: Registry;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'seabuild-interrupted-'));
    registry = await startRegistry();
  });
  after(async () => { await registry?.stop(); await rm(dir, { recursive: true, force: true }); });

  test('cut between two chunks: the rerun resumes that blob and no byte crosses the wire twice', { timeout: 120_000 }, async (t) => {
    if (!requireTools(t, ['docker-registry', 'skopeo'])) return;
    const { image } = await helloImage({ workDir: join(dir, 'a') });
    const blobBytes = blobBytesOf(image);
    const proxy = await startTcpProxy(registry.address);
    proxy.setCutBeforeRequest('PATCH', Math.floor(blobBytes / 2));
    const statePath = join(dir, 'a-state.json');
    try {
      const reference = `${proxy.address}/acme/chunks:1`;
      // One try: the push is interrupted as a killed process is (with retries it would carry on by itself: test/push-retry.test.ts).
      await assert.rejects(pushImage(image, reference, { insecure: true, statePath, chunkBytes: 128 * 1024, retry: { attempts: 1, firstDelayMs: 0, factor: 1 } }), (error: any) => /REGISTRY_/.test(error.code));
      assert.ok(existsSync(statePath), 'the unfinished upload is remembered');
      const firstBytes = proxy.upBytes();
      const pushed = await pushImage(image, reference, { insecure: true, statePath, chunkBytes: 128 * 1024 });
      assert.ok(pushed.uploadedBytes < blobBytes, `the rerun sent ${pushed.uploadedBytes} of ${blobBytes} blob bytes`);
      // Both runs together: the blobs once, plus requests and headers (well under 64 KiB here).
      assert.ok(proxy.upBytes() < blobBytes + 64 * 1024, `${proxy.upBytes()} bytes up (first run ${firstBytes}, rerun sent ${pushed.uploadedBytes} blob bytes) for ${blobBytes} blob bytes`);
      assert.equal(existsSync(statePath), false, 'the state file is gone once every blob is in');
      await assertComplete(image, `${registry.address}/acme/chunks:1`, join(dir, 'a-copy'));
    } finally { await proxy.stop(); }
  });

  test('cut inside a chunk: distribution 2.8 drops that session, so only that blob starts over; finished blobs are not sent again', { timeout: 120_000 }, async (t) => {
    if (!requireTools(t, ['docker-registry', 'skopeo'])) return;
    const { image } = await helloImage({ workDir: join(dir, 'b') });
    const blobs = layoutBlobs(image).filter((blob) => blob.digest !== imageManifestBlob(image).digest);
    const proxy = await startTcpProxy(registry.address, { cutAfterUpBytes: Math.floor(blobBytesOf(image) / 2) });
    const statePath = join(dir, 'b-state.json');
    try {
      const reference = `${proxy.address}/acme/cut:1`;
      // One blob at a time, so that exactly one blob is cut inside a chunk (side by side, another may stop between its last PATCH and PUT and resume with no byte to send).
      await assert.rejects(pushImage(image, reference, { insecure: true, statePath, retry: { attempts: 1, firstDelayMs: 0, factor: 1 }, concurrency: 1 }), (error: any) => /REGISTRY_/.test(error.code));
      proxy.setCut(undefined);
      const finished: typeof blobs = [];
      for (const blob of blobs) if ((await fetch(`http://${registry.address}/v2/acme/cut/blobs/${blob.digest}`, { method: 'HEAD' })).status === 200) finished.push(blob);
      const pushed = await pushImage(image, reference, { insecure: true, statePath });
      assert.deepEqual(pushed.existingBlobs.sort(), finished.map((blob) => blob.digest).sort());
      assert.equal(pushed.uploadedBytes, blobs.filter((blob) => !finished.includes(blob)).reduce((n, blob) => n + blob.sizeBytes, 0));
      await assertComplete(image, `${registry.address}/acme/cut:1`, join(dir, 'b-copy'));
    } finally { await proxy.stop(); }
  });
});
