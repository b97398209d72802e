// Benchmark (issue 3): the image's size beside its floor — the stripped node binary plus its shared-library
// closure, as one layer compressed the same way — measured in the same run.
// Usage: node_modules/.bin/node scripts/bench-image-size.ts [gzip|zstd]
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from '../src/index.ts';
import { createLayer } from '../src/image/layer.ts';
import type { RootfsEntry } from '../src/rootfs/index.ts';
import { copyFixture, removeFixture } from '../test/helpers/fixture.ts';

const compression = (process.argv[2] ?? 'gzip') as 'gzip' | 'zstd';
const dir = await copyFixture('hello');
const work = await mkdtemp(join(tmpdir(), 'seabuild-bench-size-'));
try {
  const result = await build({ cwd: dir, env: { ...process.env, SOURCE_DATE_EPOCH: '1700000000' }, image: { compression }, verify: false });
  const image = result.platforms[0]!.image!;
  const file = async (path: string, source: string): Promise<RootfsEntry> => ({ type: 'file', path, mode: 0o755, uid: 0, gid: 0, source: { path: source }, sizeBytes: (await stat(source)).size });
  const floorEntries = [await file('/node', result.platforms[0]!.executable.node.strippedPath)];
  const closure = image.closure;
  for (const library of [...(closure.interpreter ? [closure.interpreter] : []), ...closure.libraries]) floorEntries.push(await file(library.realPath, library.hostPath));
  const floor = await createLayer(floorEntries, { compression, sourceDateEpoch: 1700000000, workDir: work });
  const imageCompressed = image.layers.reduce((n, l) => n + l.sizeBytes, 0);
  const imageUncompressed = image.layers.reduce((n, l) => n + l.uncompressedBytes, 0);
  const mb = (n: number) => `${(n / 1e6).toFixed(1)} MB`;
  console.log(`compression ${compression}, node ${result.platforms[0]!.executable.node.version}, app: test/fixtures/hello`);
  console.log(`image  compressed ${mb(imageCompressed)}  uncompressed ${mb(imageUncompressed)}  (${image.layers.length} layers)`);
  console.log(`floor  compressed ${mb(floor.sizeBytes)}  uncompressed ${mb(floor.uncompressedBytes)}  (stripped node + ${closure.libraries.length} libraries + loader)`);
  console.log(`ratio  compressed ${(imageCompressed / floor.sizeBytes).toFixed(3)}  uncompressed ${(imageUncompressed / floor.uncompressedBytes).toFixed(3)}`);
} finally {
  await removeFixture(dir);
  await rm(work, { recursive: true, force: true });
}
