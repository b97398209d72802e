// Issue 3 end to end: the fixture app's image in real docker, podman, skopeo and umoci.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { build, type BuildResult } from '../src/index.ts';
import { validateImageArchive } from '../src/image/validate.ts';
import { layOutImage } from '../src/image/index.ts';
import { silentLogger } from '../src/log.ts';
import { copyFixture, removeFixture, repoRoot } from './helpers/fixture.ts';
import { createPodman, findTool, run, startDockerd, type Dockerd, type Podman } from './helpers/engines.ts';
import { freePort, httpRequest } from './helpers/http.ts';

const env = { SOURCE_DATE_EPOCH: '1700000000' };
const reference = 'docker.io/library/hello-fixture:1.2.3';
let dir: string;
let result: BuildResult;
let docker: Dockerd;
let podman: Podman;

function requireEngines(): void {
  const missing = ['dockerd', 'podman', 'skopeo', 'umoci', 'runc'].filter((tool) => !findTool(tool));
  if (missing.length > 0) throw new Error(`${missing.join(', ')} not installed: run .ci/run (docs/TESTING.md)`);
}

before(async () => {
  requireEngines();
  dir = await copyFixture('hello');
  result = await build({ cwd: dir, env, context: 'docker-context' });
  docker = await startDockerd();
  podman = await createPodman();
});
after(async () => {
  await docker?.stop();
  await podman?.remove();
  await removeFixture(dir);
});

const archive = () => result.platforms[0]!.image!.archive.path;

test('the archive validates: every blob re-hashed, diffIds match, two layers, the config from package.json', async () => {
  const image = await validateImageArchive(archive());
  assert.equal(image.layers.length, 2);
  const config = image.config.config;
  assert.deepEqual(config.Entrypoint, ['/app']);
  assert.deepEqual(config.Cmd, ['serve']);
  assert.equal(config.User, '65532:65532');
  assert.equal(config.StopSignal, 'SIGTERM');
  assert.deepEqual(config.Healthcheck.Test, ['CMD', '/app', 'healthcheck']);
  assert.deepEqual(Object.keys(config.ExposedPorts), ['3000/tcp']);
  assert.equal(config.Labels['org.opencontainers.image.version'], '1.2.3');
  assert.equal(config.Labels['org.opencontainers.image.title'], 'hello-fixture');
  assert.equal(config.Labels['org.opencontainers.image.created'], '2023-11-14T22:13:20.000Z');
  assert.deepEqual(image.references, [reference]);
  const paths = image.files.map((line) => line.split(' ').at(-1));
  for (const path of ['/app', '/etc/passwd', '/etc/group', '/etc/nsswitch.conf', '/etc/ssl/certs/ca-certificates.crt', '/tmp']) assert.ok(paths.includes(path), `${path} in the image`);
  assert.ok(!paths.some((p) => /\/(sh|bash|busybox|apt|dpkg)$/.test(p ?? '')), 'no shell, no package manager');
  assert.ok(image.files.includes('dir 1777 0:0 /tmp'), 'sticky world-writable /tmp');
});

test('skopeo inspects both forms', async () => {
  for (const transport of ['oci-archive', 'docker-archive']) {
    const inspected = await run('skopeo', ['inspect', `${transport}:${archive()}`]);
    assert.equal(inspected.exitCode, 0, inspected.stderr);
    assert.equal(JSON.parse(inspected.stdout).Labels['org.opencontainers.image.version'], '1.2.3');
  }
});

test('docker: load, run read-only with no capabilities and no network, serve on the host network, stop within 2 s', async () => {
  const loaded = await docker.docker(['load', '-i', archive()]);
  assert.equal(loaded.exitCode, 0, loaded.stderr);
  const version = await docker.docker(['run', '--rm', '--read-only', '--cap-drop', 'ALL', '--network', 'none', reference, 'version']);
  assert.equal(version.exitCode, 0, version.stderr);
  assert.match(version.stdout, /^hello-fixture 1\.2\.3$/m);
  const id = await docker.docker(['image', 'inspect', '--format', '{{.Id}}', reference]);
  assert.equal(id.stdout.trim(), result.platforms[0]!.image!.archive.imageId);

  const port = await freePort();
  const started = await docker.docker(['run', '-d', '--read-only', '--cap-drop', 'ALL', '--network', 'host', '-e', `PORT=${port}`, '-e', 'HOST=127.0.0.1', reference]);
  assert.equal(started.exitCode, 0, started.stderr);
  const container = started.stdout.trim();
  let answer;
  for (let i = 0; i < 100 && !answer; i++) {
    answer = await httpRequest(port, '/').catch(() => undefined);
    if (!answer) await new Promise((r) => setTimeout(r, 100));
  }
  assert.equal(answer?.status, 200);
  assert.equal((await docker.docker(['exec', container, '/app', 'healthcheck'])).exitCode, 0, 'HEALTHCHECK command works without curl');
  const t0 = performance.now();
  const stopped = await docker.docker(['stop', '--time', '10', container]);
  const stopMs = performance.now() - t0;
  assert.equal(stopped.exitCode, 0);
  assert.ok(stopMs < 2000, `docker stop took ${Math.round(stopMs)} ms: PID 1 must handle SIGTERM`);
  const exit = await docker.docker(['inspect', '--format', '{{.State.ExitCode}}', container]);
  assert.equal(exit.stdout.trim(), '0');
});

test('podman: load and run the same archive', async () => {
  const loaded = await podman.podman(['load', '-i', archive()]);
  assert.equal(loaded.exitCode, 0, loaded.stderr);
  const version = await podman.podman(['run', '--rm', '--network', 'none', '--read-only', reference, 'version']);
  assert.equal(version.exitCode, 0, version.stderr);
  assert.match(version.stdout, /^hello-fixture 1\.2\.3$/m);
});

test('podman keeps the healthcheck: podman healthcheck run on a container of the loaded archive succeeds', async () => {
  // Loaded by the test before (podman: load and run); its manifest is docker's schema 2 (src/image/image.ts DOCKER_MEDIA_TYPES).
  const inspected = await podman.podman(['image', 'inspect', reference, '--format', '{{json .HealthCheck}}']);
  assert.deepEqual(JSON.parse(inspected.stdout).Test, ['CMD', '/app', 'healthcheck']);
  const port = await freePort();
  const started = await podman.podman(['run', '-d', '--network', 'host', '--read-only', '-e', `PORT=${port}`, '-e', 'HOST=127.0.0.1', reference]);
  assert.equal(started.exitCode, 0, started.stderr);
  const id = started.stdout.trim();
  try {
    // Wait until the service answers (the healthcheck is what is tested, not how fast it boots).
    for (let i = 0; (await httpRequest(port, "/").catch(() => undefined))?.status !== 200; i++) {
      assert.ok(i < 300, 'the container never answered');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const health = await podman.podman(['healthcheck', 'run', id]);
    assert.equal(health.exitCode, 0, `${health.stdout}${health.stderr}`);
  } finally {
    await podman.podman(['rm', '-f', id]);
  }
});

test('umoci unpacks the image (converted to OCI media types by skopeo) to the same files as the rootfs', async () => {
  const work = await mkdtemp(join(tmpdir(), 'seabuild-umoci-'));
  try {
    // umoci reads OCI manifests only; the archive's is docker's schema 2 (for podman's healthcheck).
    const converted = await run('skopeo', ['copy', '--format', 'oci', `oci-archive:${archive()}`, `oci:${join(work, 'layout')}:${reference}`]);
    assert.equal(converted.exitCode, 0, converted.stderr);
    const unpacked = await run('umoci', ['unpack', '--image', `${join(work, 'layout')}:${reference}`, join(work, 'bundle')]);
    assert.equal(unpacked.exitCode, 0, unpacked.stderr);
    const list = async (root: string) => (await execa('find', ['.', '-printf', '%y %m %U:%G %p\n'], { cwd: root })).stdout.split('\n').sort();
    assert.deepEqual(await list(join(work, 'bundle/rootfs')), await list(join(dir, 'docker-context/rootfs')));
  } finally {
    await rm(work, { recursive: true, force: true });
  }
});

test('docker build -f Dockerfile.scratch of the --context folder: same files, modes, owners and config', async () => {
  const built = await docker.docker(['build', '-q', '-t', 'from-dockerfile:1', '-f', join(dir, 'docker-context/Dockerfile.scratch'), join(dir, 'docker-context')], { timeoutMs: 300_000 });
  assert.equal(built.exitCode, 0, built.stderr);
  const exportList = async (image: string): Promise<string[]> => {
    const id = (await docker.docker(['create', image])).stdout.trim();
    const tarPath = join(dir, `${id}.tar`);
    await docker.docker(['export', '-o', tarPath, id]);
    await docker.docker(['rm', id]);
    const { stdout } = await execa('tar', ['-tvf', tarPath, '--numeric-owner']);
    await rm(tarPath);
    // perms owner size name (dates differ: docker build stamps its own)
    return stdout.split('\n').map((l) => l.split(/\s+/)).map((f) => `${f[0]} ${f[1]} ${f[2]} ${f.slice(5).join(' ')}`).sort();
  };
  assert.deepEqual(await exportList('from-dockerfile:1'), await exportList(reference));
  const configOf = async (image: string) => {
    const c = JSON.parse((await docker.docker(['image', 'inspect', image])).stdout)[0].Config;
    return { Entrypoint: c.Entrypoint, Cmd: c.Cmd, User: c.User, Env: c.Env, ExposedPorts: c.ExposedPorts, Labels: c.Labels, StopSignal: c.StopSignal, Healthcheck: c.Healthcheck };
  };
  assert.deepEqual(await configOf('from-dockerfile:1'), await configOf(reference));
});

test('two builds of the same input: same archive sha256 and image ID; a rebuild of the app reuses the system layer', async () => {
  const again = await build({ cwd: dir, env, outDir: 'dist-again', verify: false });
  const sha = async (p: string) => createHash('sha256').update(await readFile(p)).digest('hex');
  assert.equal(await sha(again.platforms[0]!.image!.archive.path), await sha(archive()));
  assert.equal(again.platforms[0]!.image!.archive.imageId, result.platforms[0]!.image!.archive.imageId);
  await writeFile(join(dir, 'src/greeting.ts'), 'export function greeting(name: string): string {\n  return `Howdy, ${name}!`;\n}\n');
  const changed = await build({ cwd: dir, env, outDir: 'dist-changed', verify: false });
  assert.equal(changed.platforms[0]!.image!.layers[0]!.digest, result.platforms[0]!.image!.layers[0]!.digest, 'system layer reused');
  assert.notEqual(changed.platforms[0]!.image!.layers[1]!.digest, result.platforms[0]!.image!.layers[1]!.digest, 'app layer changed');
});

test('bad input: a library that cannot be found names it and who needs it', async () => {
  const work = await mkdtemp(join(tmpdir(), 'seabuild-missing-lib-'));
  try {
    const needy = join(repoRoot, 'test/fixtures/elf/bin/needs-missing');
    await assert.rejects(
      layOutImage({ config: { ...result.config, outDir: work, context: undefined, image: result.config.image! }, executable: { ...result.platforms[0]!.executable, assets: [] }, extraElfFiles: [needy], logger: silentLogger }),
      (error: any) => error.code === 'LIB_NOT_FOUND' && /libdoesnotexist\.so\.1/.test(error.message) && error.file === needy,
    );
  } finally {
    await rm(work, { recursive: true, force: true });
  }
});

test('bad input: a node binary for another machine', async () => {
  const { packNpmPackages, SHARP_ARM64 } = await import('./fixtures/elf/npm-pack.ts');
  const arm = join(await packNpmPackages(SHARP_ARM64), 'node_modules/@img/sharp-linux-arm64/lib/sharp-linux-arm64-0.35.5.node');
  await assert.rejects(build({ cwd: dir, env, node: arm, outDir: 'dist-arm' }), { code: 'NODE_WRONG_MACHINE', file: arm });
});

test('bad input: an output folder on a read-only mount leaves nothing behind', async () => {
  const ro = await mkdtemp(join(tmpdir(), 'seabuild-ro-'));
  await execa('mount', ['--bind', ro, ro]);
  try {
    await execa('mount', ['-o', 'remount,ro,bind', ro]);
    await assert.rejects(build({ cwd: dir, env, outDir: ro, verify: false }), { code: 'OUTPUT_NOT_WRITABLE', file: ro });
  } finally {
    await execa('umount', [ro]);
    assert.deepEqual((await execa('ls', ['-A', ro])).stdout, '');
    await rm(ro, { recursive: true, force: true });
  }
});

test('seabuild verify: passes on the built archive; a rootfs without libstdc++ fails with the loader\'s message', async () => {
  const { runSeabuild } = await import('./helpers/cli.ts');
  const ok = await runSeabuild(['verify', archive()], { cwd: dir });
  assert.equal(ok.exitCode, 0, ok.all);
  assert.match(ok.stdout, /smoke run passed/);
  const truncated = join(dir, 'truncated.tar');
  await writeFile(truncated, (await readFile(archive())).subarray(0, 4096));
  const bad = await runSeabuild(['verify', truncated], { cwd: dir });
  assert.equal(bad.exitCode, 1);
  assert.ok(bad.stderr.includes(truncated));

  const { writeRootfsToDir } = await import('../src/rootfs/index.ts');
  const { verifyRootfs } = await import('../src/verify/run.ts');
  const work = await mkdtemp(join(tmpdir(), 'seabuild-no-libstdcxx-'));
  try {
    // The image's rootfs as the image stage lays it out (the build's own copy went with its work folder).
    const { rootfs } = await layOutImage({ config: { ...result.config, image: result.config.image! }, executable: { ...result.platforms[0]!.executable, assets: [] }, logger: silentLogger });
    const without = { layers: rootfs.layers.map((l) => ({ ...l, entries: l.entries.filter((e) => !e.path.includes('libstdc++')) })) };
    await writeRootfsToDir(without, work);
    await assert.rejects(verifyRootfs({ rootfsDir: work, appPath: '/app', commands: ['version --json'], subject: 'test-image' }), (error: any) => {
      assert.equal(error.code, 'VERIFY_MISSING_LIBRARY');
      assert.match(error.message, /\/app needs libstdc\+\+\.so\.6/);
      return true;
    });
  } finally {
    await rm(work, { recursive: true, force: true });
  }
});
