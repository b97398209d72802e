// The registry goes away in the middle of a push (the real distribution 2.8 stopped after the first
// blob): the push fails with a SeabuildError naming the registry and what it was doing, without a
// stack of socket errors; pushing the same image again (to a registry that is there) succeeds.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { SeabuildError } from '../src/errors.ts';
import { pushImage } from '../src/image/push.ts';
import { requireTools, run, startRegistry } from './helpers/engines.ts';
import { helloImage } from './helpers/image.ts';

test('the registry stopped after the first blob: a clear REGISTRY_* error naming it; the next push succeeds', { timeout: 120_000 }, async (t) => {
  if (!requireTools(t, ['docker-registry', 'skopeo'])) return;
  const dir = await mkdtemp(join(tmpdir(), 'seabuild-push-faults-'));
  const registry = await startRegistry();
  let again: Awaited<ReturnType<typeof startRegistry>> | undefined;
  try {
    const { image } = await helloImage({ workDir: dir });
    let blobs = 0;
    let stopped: Promise<void> | undefined;
    const logger = { debug() {}, warn() {}, info: (line: string) => { if (line.startsWith('pushing ') && ++blobs === 2) stopped = registry.stop(); } };
    const error = await pushImage(image, `${registry.address}/kitteh/hello:1`, { insecure: true, logger }).then(() => undefined, (e: unknown) => e);
    await stopped;
    assert.ok(error instanceof SeabuildError, `expected a SeabuildError, got ${String(error)}`);
    assert.match(error.code, /^REGISTRY_/);
    assert.ok(error.message.includes(registry.address), error.message);
    assert.doesNotMatch(error.message, /\n\s+at /);

    again = await startRegistry();
    const pushed = await pushImage(image, `${again.address}/kitteh/hello:1`, { insecure: true });
    const inspected = await run('skopeo', ['inspect', '--raw', '--tls-verify=false', `docker://${again.address}/kitteh/hello:1`]);
    assert.equal(inspected.exitCode, 0, inspected.stderr);
    assert.equal(JSON.parse(inspected.stdout).layers.length, 2);
    assert.equal(pushed.uploadedBlobs.length, 3);
    t.diagnostic(`${error.code}: ${error.message}`);
  } finally {
    await again?.stop();
    await registry.stop().catch(() => {});
    await rm(dir, { recursive: true, force: true });
  }
});
