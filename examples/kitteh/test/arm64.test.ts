// Issue 12, "Done when": Kitteh built for linux/amd64 and linux/arm64 in one command; the arm64
// image's own rootfs (unpacked from the index archive with skopeo and umoci) runs the arm64
// executable under qemu-user: it migrates PostgreSQL 15 on 127.0.0.1 and serves one upload, resized
// by sharp's arm64 addon and libvips. qemu is slow (~1 s per node start): one picture, one resize.
import assert from 'node:assert/strict';
import { chown, copyFile, mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { execa } from 'execa';
import sharp from 'sharp';
import { build, type BuildResult } from '../../../src/index.ts';
import { readElfFile } from '../../../src/elf/index.ts';
import { findTool } from '../../../test/helpers/engines.ts';
import { freePort } from '../../../test/helpers/http.ts';
import { createTestDatabase, ensurePostgres } from '../../../test/helpers/postgres.ts';
import { readFixture } from './helpers/fixtures.ts';
import { displayedSize } from './helpers/pixels.ts';
import { appDir, get, upload } from './helpers/kitteh.ts';

let work: string;
let result: BuildResult;
let rootfs: string;

before(async () => {
  const missing = ['qemu-aarch64-static', 'aarch64-linux-gnu-strip', 'skopeo', 'umoci', 'chroot'].filter((tool) => !findTool(tool));
  const postgres = await ensurePostgres();
  if (missing.length > 0 || !postgres.ok) throw new Error(`needs ${missing.join(', ') || 'PostgreSQL'}: run .ci/run (docs/TESTING.md)`);
  work = await mkdtemp(join(tmpdir(), 'kitteh-arm64-'));
  result = await build({ cwd: appDir, outDir: join(work, 'dist'), env: { SOURCE_DATE_EPOCH: '1700000000', HOME: process.env.HOME ?? '/root', PATH: process.env.PATH ?? '/usr/bin:/bin' }, platforms: ['linux/amd64,linux/arm64'],
    // The build's smoke boot (serve --migrate on PGlite in WebAssembly) takes minutes under qemu-user on a
    // loaded machine; this test boots the arm64 image itself against PostgreSQL below, so the build's
    // smoke run keeps its commands (version, every addon loaded, under qemu) and skips the boot.
    verify: { boot: false } });
  // The arm64 image of the index, as a registry client would pick it, unpacked into a rootfs.
  const layout = join(work, 'layout');
  // --format oci: umoci reads OCI manifests only, and a gzip image's is docker's schema 2 (for podman's healthcheck).
  const copied = await execa('skopeo', ['copy', '--format', 'oci', '--override-arch', 'arm64', `oci-archive:${result.index!.archive.path}`, `oci:${layout}:arm64`], { reject: false, all: true });
  assert.equal(copied.exitCode, 0, copied.all);
  const unpacked = await execa('umoci', ['unpack', '--image', `${layout}:arm64`, join(work, 'bundle')], { reject: false, all: true });
  assert.equal(unpacked.exitCode, 0, unpacked.all);
  rootfs = join(work, 'bundle/rootfs');
  await copyFile('/usr/bin/qemu-aarch64-static', join(rootfs, 'qemu-aarch64-static'));
});
after(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

const arm = () => result.platforms.find((p) => p.target.platform.name === 'linux/arm64')!;

test('one command built both platforms; the arm64 tree is sharp\'s arm64 addon and libvips, nothing of x64', async () => {
  assert.deepEqual(result.platforms.map((p) => p.target.platform.name), ['linux/amd64', 'linux/arm64']);
  assert.equal((await readElfFile(join(rootfs, 'app'))).machine, 'aarch64');
  const natives = arm().embedded.packageFiles!.files.filter((f) => f.kind !== 'script' && f.kind !== 'data');
  assert.deepEqual([...new Set(natives.map((f) => f.package))].sort(), ['@img/sharp-libvips-linux-arm64', '@img/sharp-linux-arm64']);
  // Each native file as the arm64 image holds it (the tree is laid out under the rootfs).
  const inImage = (await readdir(rootfs, { recursive: true })).map((p) => `/${p}`);
  for (const file of natives) {
    const path = inImage.find((p) => p.endsWith(`/${file.treePath}`));
    assert.ok(path, `${file.treePath} in the arm64 image`);
    assert.equal((await readElfFile(join(rootfs, path))).machine, 'aarch64', file.treePath);
  }
  assert.ok(!arm().embedded.packageFiles!.files.some((f) => f.package?.includes('x64')));
  // The build's own smoke run of the arm64 image (its commands) ran emulated.
  assert.equal(arm().verification?.emulator, 'qemu-aarch64-static');
});

test('the arm64 executable in its rootfs under qemu-user migrates PostgreSQL and serves one upload, resized on arm64', async () => {
  const db = await createTestDatabase();
  await mkdir(join(rootfs, 'uploads'));
  await chown(join(rootfs, 'uploads'), 65532, 65532);
  // chroot as the image's user; PostgreSQL and the port are on the machine's loopback.
  const chrooted = ['--userspec=65532:65532', rootfs, '/qemu-aarch64-static', '/app'];
  try {
    const migrated = await execa(findTool('chroot')!, [...chrooted, 'migrate'], { env: { DATABASE_URL: db.url }, extendEnv: false, reject: false, timeout: 180_000 });
    assert.equal(migrated.exitCode, 0, migrated.stderr);
    assert.match(migrated.stdout, /applied 0001_create_images\.sql/);
    const port = await freePort();
    const served = execa(findTool('chroot')!, [...chrooted, 'serve'], { env: { DATABASE_URL: db.url, PORT: String(port), HOST: '127.0.0.1', UPLOAD_DIR: '/uploads' }, extendEnv: false, reject: false, all: true });
    try {
      await waitForHealthz(port, served);
      const answer = await upload(port, readFixture('Landscape_6.jpg'), 'Landscape_6.jpg');
      assert.equal(answer.status, 303, answer.body);
      const tiny = await get(port, answer.json().renditions.tiny.url);
      assert.equal(tiny.status, 200);
      assert.deepEqual(displayedSize(await sharp(tiny.bytes).metadata()), [90, 68], 'upright: EXIF orientation 6 applied');
      assert.equal((await db.query('SELECT count(*)::int AS n FROM images'))[0].n, 1);
    } finally {
      served.kill('SIGTERM');
      const exited = await served;
      assert.equal(exited.exitCode, 0, exited.all);
    }
  } finally {
    await db.drop();
  }
});

async function waitForHealthz(port: number, served: { exitCode?: number | null; all?: unknown }): Promise<void> {
  for (let attempt = 0; attempt < 600; attempt++) {
    const status = await get(port, '/healthz').then((r) => r.status, () => 0);
    if (status === 200) return;
    if (typeof served.exitCode === 'number') break;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`kitteh (arm64, qemu-user) did not answer /healthz on ${port}`);
}
