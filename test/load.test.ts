// Issue 25 item 3: `seabuild build --load` puts the image into the local engine under its name and
// tag: a private dockerd (DOCKER_HOST), podman with storage of its own (CONTAINERS_STORAGE_CONF), and
// the error when no engine can take it. The hello fixture, --no-verify (the smoke run is tested elsewhere).
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { runSeabuild } from './helpers/cli.ts';
import { requireTools, run, startDockerd, type Dockerd } from './helpers/engines.ts';
import { copyFixture, removeFixture } from './helpers/fixture.ts';

const REFERENCE = 'docker.io/library/hello-fixture:1.2.3';

describe('seabuild build --load', () => {
  let app: string;
  let scratch: string;
  let dockerd: Dockerd | undefined;
  before(async () => {
    app = await copyFixture('hello');
    scratch = await mkdtemp(join(tmpdir(), 'seabuild-load-'));
  });
  after(async () => {
    await dockerd?.stop();
    await rm(scratch, { recursive: true, force: true });
    await removeFixture(app);
  });

  /** podman with storage and config of its own, for seabuild's `podman load` and the test's inspect alike. */
  const podmanEnv = async (name: string, graphroot?: string): Promise<Record<string, string>> => {
    const dir = join(scratch, name);
    await run('mkdir', ['-p', dir]);
    await writeFile(join(dir, 'storage.conf'), `[storage]\ndriver = "vfs"\ngraphroot = "${graphroot ?? join(dir, 'root')}"\nrunroot = "${join(dir, 'run')}"\n`);
    await writeFile(join(dir, 'containers.conf'), '[containers]\ndefault_ulimits = []\n[engine]\nruntime = "runc"\n');
    return { CONTAINERS_STORAGE_CONF: join(dir, 'storage.conf'), CONTAINERS_CONF: join(dir, 'containers.conf') };
  };

  test('with docker\'s daemon answering: docker has the image under its name and tag', { timeout: 600_000 }, async (t) => {
    if (!requireTools(t, ['dockerd', 'docker'])) return;
    dockerd = await startDockerd();
    const built = await runSeabuild(['build', '--no-verify', '--load'], { cwd: app, env: { DOCKER_HOST: dockerd.host } });
    assert.equal(built.exitCode, 0, built.all);
    assert.match(built.stderr, new RegExp(`loaded {6}into docker: ${REFERENCE}`));
    const inspected = await dockerd.docker(['image', 'inspect', 'hello-fixture:1.2.3']);
    assert.equal(inspected.exitCode, 0, inspected.stderr);
    assert.deepEqual(JSON.parse(inspected.stdout)[0].RepoTags, ['hello-fixture:1.2.3']);
  });

  test('--load=podman: podman has the image under its full reference', { timeout: 600_000 }, async (t) => {
    if (!requireTools(t, ['podman', 'runc'])) return;
    const env = await podmanEnv('podman');
    const built = await runSeabuild(['build', '--no-verify', '--load=podman'], { cwd: app, env });
    assert.equal(built.exitCode, 0, built.all);
    assert.match(built.stderr, /loaded {6}into podman: /);
    const inspected = await run('podman', ['image', 'inspect', REFERENCE], env);
    assert.equal(inspected.exitCode, 0, inspected.stderr);
  });

  test('no engine reachable: LOAD_NO_ENGINE names what was tried and the fix; the outputs are there', { timeout: 600_000 }, async (t) => {
    if (!requireTools(t, ['podman'])) return;
    // A daemon socket nobody listens on, and a podman whose storage cannot be made (under /proc).
    const env = { DOCKER_HOST: `unix://${join(scratch, 'nobody.sock')}`, ...(await podmanEnv('broken', '/proc/seabuild-no-storage')) };
    const built = await runSeabuild(['build', '--no-verify', '--load', '--out-dir', 'dist-unloaded'], { cwd: app, env });
    assert.equal(built.exitCode, 1, built.all);
    assert.match(built.stderr, /seabuild: error: .*dist-unloaded\/hello-fixture\.image\.tar: no container engine to load the image into: tried docker \(.+\), podman \(.+\)\n {2}fix: start the docker daemon/);
    const docker = await run('skopeo', ['inspect', `docker-archive:${join(app, 'dist-unloaded/hello-fixture.image.tar')}`]);
    assert.equal(docker.exitCode, 0, 'the archive was published before the load');
  });

  test('--load with --no-image: LOAD_NO_IMAGE, before any work', async () => {
    const built = await runSeabuild(['build', '--no-image', '--load'], { cwd: app });
    assert.equal(built.exitCode, 1, built.all);
    assert.match(built.stderr, /--load loads the image, and this build makes none/);
  });
});
