// Benchmark (issues 3 and 12): the image's size beside its floor — the stripped node binary plus its
// shared-library closure, as one layer compressed the same way — measured in the same run, for the
// build machine's platform or another (linux/arm64: the arm64 node from npm, stripped by
// aarch64-linux-gnu-strip, its closure from the Debian arm64 sysroot; the floor is made of exactly those).
// Usage: node_modules/.bin/node scripts/bench-image-size.ts [gzip|zstd] [PLATFORM] [APP_DIR]
//   PLATFORM: linux/amd64 or linux/arm64 (default: this machine's); APP_DIR: default test/fixtures/hello.
import { cp, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from '../src/index.ts';
import { createLayer } from '../src/image/layer.ts';
import type { RootfsEntry } from '../src/rootfs/index.ts';
import { copyFixture, removeFixture } from '../test/helpers/fixture.ts';

const compression = (process.argv[2] ?? 'gzip') as 'gzip' | 'zstd';
const platform = process.argv[3];
const appArg = process.argv[4];
// An app given by folder is copied with its node_modules, so its dist/ is left as it is.
const dir = appArg ? await mkdtemp(join(tmpdir(), 'seabuild-bench-app-')) : await copyFixture('hello');
if (appArg) await cp(resolve(appArg), dir, { recursive: true, filter: (src) => !src.includes('/dist') });
const work = await mkdtemp(join(tmpdir(), 'seabuild-bench-size-'));
try {
  const result = await build({ cwd: dir, env: { ...process.env, SOURCE_DATE_EPOCH: '1700000000' }, image: { compression }, verify: false, ...(platform ? { platforms: [platform] } : {}) });
  const built = result.platforms[0]!;
  const image = built.image!;
  const file = async (path: string, source: string): Promise<RootfsEntry> => ({ type: 'file', path, mode: 0o755, uid: 0, gid: 0, source: { path: source }, sizeBytes: (await stat(source)).size });
  const floorEntries = [await file('/node', built.executable.node.strippedPath)];
  const closure = image.closure;
  for (const library of [...(closure.interpreter ? [closure.interpreter] : []), ...closure.libraries]) floorEntries.push(await file(library.realPath, library.hostPath));
  const floor = await createLayer(floorEntries, { compression, sourceDateEpoch: 1700000000, workDir: work });
  const imageCompressed = image.layers.reduce((n, l) => n + l.sizeBytes, 0);
  const imageUncompressed = image.layers.reduce((n, l) => n + l.uncompressedBytes, 0);
  const report = built.report;
  const mb = (n: number) => `${(n / 1e6).toFixed(1)} MB`;
  console.log(`compression ${compression}, node ${built.executable.node.version}, platform ${built.target.platform.name} (${image.machine}), app: ${appArg ?? 'test/fixtures/hello'}`);
  console.log(`image  compressed ${mb(imageCompressed)}  uncompressed ${mb(imageUncompressed)}  (${image.layers.length} layers; report totals ${mb(report.totals.compressedBytes ?? 0)} / ${mb(report.totals.uncompressedBytes)})`);
  console.log(`floor  compressed ${mb(floor.sizeBytes)}  uncompressed ${mb(floor.uncompressedBytes)}  (stripped node + the image's closure: ${floorEntries.length - 1} files)`);
  console.log(`image closure: ${image.closure.libraries.length} libraries${image.closure.interpreter ? ' + loader' : ''}: ${image.closure.libraries.map((l) => l.soname).join(', ')}`);
  console.log(`ratio  compressed ${(imageCompressed / floor.sizeBytes).toFixed(3)}  uncompressed ${(imageUncompressed / floor.uncompressedBytes).toFixed(3)}`);
} finally {
  if (appArg) await rm(dir, { recursive: true, force: true });
  else await removeFixture(dir);
  await rm(work, { recursive: true, force: true });
}

