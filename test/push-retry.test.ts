// Pushing like ko (go-containerregistry's remote.Write), against a real distribution 2.8 registry:
// transient failures retried with backoff, blobs sent several at once, a blob another repository of
// the registry holds mounted instead of uploaded, and a multi-platform push that resumes.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pushImage } from '../src/image/push.ts';
import { pushImageIndex } from '../src/image/push-index.ts';
import { imageManifestBlob, type Image } from '../src/image/image.ts';
import { layoutBlobs } from '../src/image/layout.ts';
import { indexBlobs } from '../src/image/index-archive.ts';
import { requireTools, run, startRegistry, type Registry } from './helpers/engines.ts';
import { helloImage } from './helpers/image.ts';
import { startFaultProxy, type Fault } from './helpers/registry-proxy.ts';
import { startTcpProxy } from './helpers/tcp-proxy.ts';

const quickRetry = { attempts: 3, firstDelayMs: 50, factor: 2 };
const noRetry = { attempts: 1, firstDelayMs: 0, factor: 1 };

/** skopeo copies every blob of the pushed reference (and so checks each digest). */
async function assertPulls(reference: string, dir: string, all = false): Promise<void> {
  const copied = await run('skopeo', ['copy', ...(all ? ['--all'] : []), '--src-tls-verify=false', `docker://${reference}`, `oci:${dir}:1`]);
  assert.equal(copied.exitCode, 0, copied.stderr);
}

/** A fault for the first request matching each rule, then none. */
function onceEach(rules: Array<[RegExp, Exclude<Fault, undefined>]>): (method: string, path: string) => Fault {
  const used = new Set<number>();
  return (method, path) => {
    const index = rules.findIndex(([pattern], i) => !used.has(i) && pattern.test(`${method} ${path}`));
    if (index === -1) return undefined;
    used.add(index);
    return rules[index]![1];
  };
}

describe('pushing like ko', () => {
  let dir: string;
  let registry: Registry;
  let image: Image;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'seabuild-push-retry-'));
    registry = await startRegistry();
    ({ image } = await helloImage({ workDir: join(dir, 'amd64') }));
  });
  after(async () => { await registry?.stop(); await rm(dir, { recursive: true, force: true }); });

  test('a 503, a 502 and a connection reset on the way are retried; with one try the same faults fail the push', { timeout: 120_000 }, async (t) => {
    if (!requireTools(t, ['docker-registry', 'skopeo'])) return;
    const faults = (): Array<[RegExp, Exclude<Fault, undefined>]> => [
      [/^HEAD \/v2\/.*\/blobs\//, { status: 503 }], [/^PATCH /, 'reset'], [/^PUT \/v2\/.*\/blobs\/uploads\//, { status: 502 }], [/^PUT \/v2\/.*\/manifests\//, { status: 503 }],
    ];
    const failing = await startFaultProxy(registry.address, onceEach(faults()));
    try {
      await assert.rejects(pushImage(image, `${failing.address}/acme/flaky-once:1`, { insecure: true, retry: noRetry }), (error: any) => /^REGISTRY_/.test(error.code));
    } finally { await failing.stop(); }
    const proxy = await startFaultProxy(registry.address, onceEach(faults()));
    const said: string[] = [];
    try {
      const pushed = await pushImage(image, `${proxy.address}/acme/flaky:1`, { insecure: true, retry: quickRetry, logger: { info: (line) => said.push(line), warn() {}, debug() {} } });
      assert.equal(proxy.faults.length, 4, proxy.faults.join('\n'));
      assert.equal(pushed.uploadedBlobs.length, 3);
      assert.ok(said.some((line) => /answered 503; retrying in/.test(line)), said.join('\n'));
      await assertPulls(`${registry.address}/acme/flaky:1`, join(dir, 'flaky-copy'));
    } finally { await proxy.stop(); }
  });

  test('blobs go up side by side: two upload sessions are open at once', { timeout: 120_000 }, async (t) => {
    if (!requireTools(t, ['docker-registry', 'skopeo'])) return;
    // The first POST of an upload waits until a second one arrives (which a one-at-a-time push never
    // sends while the first waits); after 20 s it goes on anyway and the assertion below fails.
    let arrived = 0;
    let release!: () => void;
    const second = new Promise<void>((resolve) => { release = resolve; });
    let together = false;
    const proxy = await startFaultProxy(registry.address, async (method, path) => {
      if (method !== 'POST' || !path.includes('/blobs/uploads/')) return undefined;
      if (++arrived === 2) { together = true; release(); }
      if (arrived === 1) await Promise.race([second, new Promise((resolve) => setTimeout(resolve, 20_000).unref())]);
      return undefined;
    });
    try {
      const pushed = await pushImage(image, `${proxy.address}/acme/parallel:1`, { insecure: true });
      assert.ok(together, 'a second blob upload started while the first was open');
      assert.equal(pushed.uploadedBlobs.length, 3);
      await assertPulls(`${registry.address}/acme/parallel:1`, join(dir, 'parallel-copy'));
    } finally { await proxy.stop(); }
  });

  test('a blob another repository of the registry holds is mounted (?mount=…&from=…), not uploaded', { timeout: 120_000 }, async (t) => {
    if (!requireTools(t, ['docker-registry', 'skopeo'])) return;
    const blobRecordPath = join(dir, 'registry-blobs.json');
    const proxy = await startFaultProxy(registry.address, () => undefined);
    try {
      const first = await pushImage(image, `${proxy.address}/acme/one:1`, { insecure: true, blobRecordPath });
      assert.equal(first.uploadedBlobs.length, 3);
      proxy.requests.length = 0;
      const second = await pushImage(image, `${proxy.address}/acme/two:1`, { insecure: true, blobRecordPath });
      const blobs = layoutBlobs(image).filter((blob) => blob.digest !== imageManifestBlob(image).digest).map((blob) => blob.digest);
      assert.deepEqual(second.mountedBlobs, blobs);
      assert.deepEqual(second.uploadedBlobs, []);
      assert.equal(second.uploadedBytes, 0);
      assert.ok(proxy.requests.some((request) => request.startsWith('POST /v2/acme/two/blobs/uploads/?mount=sha256%3A') && request.endsWith('&from=acme%2Fone')), proxy.requests.join('\n'));
      assert.ok(!proxy.requests.some((request) => request.startsWith('PATCH ')), 'no byte uploaded');
      await assertPulls(`${registry.address}/acme/two:1`, join(dir, 'two-copy'));
    } finally { await proxy.stop(); }
  });

  test('a multi-platform push cut half way resumes: no finished blob again, the state file gone at the end', { timeout: 120_000 }, async (t) => {
    if (!requireTools(t, ['docker-registry', 'skopeo'])) return;
    const { image: arm } = await helloImage({ workDir: join(dir, 'arm64'), machine: 'aarch64' });
    const images = [image, arm];
    const manifests = new Set(images.map((each) => imageManifestBlob(each).digest));
    const blobBytes = indexBlobs(images).filter((blob) => !manifests.has(blob.digest)).reduce((n, blob) => n + blob.sizeBytes, 0);
    const proxy = await startTcpProxy(registry.address);
    proxy.setCutBeforeRequest('PATCH', Math.floor(blobBytes / 2));
    const statePath = join(dir, 'index-state.json');
    try {
      const reference = `${proxy.address}/acme/multi:1`;
      await assert.rejects(pushImageIndex(images, reference, { insecure: true, statePath, chunkBytes: 128 * 1024, retry: noRetry }), (error: any) => /^REGISTRY_/.test(error.code));
      assert.ok(existsSync(statePath), 'the unfinished upload is remembered');
      const pushed = await pushImageIndex(images, reference, { insecure: true, statePath, chunkBytes: 128 * 1024 });
      assert.ok(pushed.uploadedBytes < blobBytes, `the rerun sent ${pushed.uploadedBytes} of ${blobBytes} blob bytes`);
      assert.ok(proxy.upBytes() < blobBytes + 64 * 1024, `${proxy.upBytes()} bytes up for ${blobBytes} blob bytes`);
      assert.equal(existsSync(statePath), false);
      await assertPulls(`${registry.address}/acme/multi:1`, join(dir, 'multi-copy'), true);
    } finally { await proxy.stop(); }
  });
});
