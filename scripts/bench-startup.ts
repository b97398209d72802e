// Benchmark (issue 2): build time, and start-to-first-200 of the executable against `node bundle.cjs`
// of the same bundle, alternated in one run so machine noise hits both sides alike.
// Usage: node_modules/.bin/node scripts/bench-startup.ts [runs=20]
// NODE_EXTRA_CA_CERTS is removed from both sides' environment (it adds ~55 ms to every Node start here).
import { copyFile, mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { build } from '../src/index.ts';
import { copyFixture, node24, removeFixture } from '../test/helpers/fixture.ts';
import { median, timeToFirst200 } from './first-200.ts';

const runs = Number(process.argv[2] ?? 20);
const env: NodeJS.ProcessEnv = { ...process.env, SOURCE_DATE_EPOCH: '1700000000' };
delete env.NODE_EXTRA_CA_CERTS;

const dir = await copyFixture('hello');
const cacheDir = await mkdtemp(join(tmpdir(), 'seabuild-bench-cache-'));
try {
  const buildTimes: number[] = [];
  let last;
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    last = await build({ cwd: dir, image: false, env: { ...env, SEABUILD_CACHE_DIR: cacheDir }, keepWorkDir: true });
    buildTimes.push(performance.now() - t0);
  }
  // The same bundle under plain Node, reading the same embedded files from a folder instead of the blob.
  const bundleCopy = join(dir, 'bundle.cjs');
  // The kept work folder's sea-config.json names the bundle (relative to it) and every SEA asset.
  const seaConfig = JSON.parse(await readFile(join(last!.workDir!, 'sea-config.json'), 'utf8')) as { main: string; assets: Record<string, string> };
  await copyFile(join(last!.workDir!, seaConfig.main), bundleCopy);
  const embedDir = join(dir, 'embedded');
  for (const [key, file] of Object.entries(seaConfig.assets)) {
    await mkdir(dirname(join(embedDir, key)), { recursive: true });
    await copyFile(file, join(embedDir, key));
  }
  env.SEABUILD_EMBED_DIR = embedDir;
  const startOptions = { env: { ...env, HOST: '127.0.0.1' }, attempts: 2000, stopSignal: 'SIGTERM' as const };
  const exeTimes: number[] = [];
  const nodeTimes: number[] = [];
  for (let i = 0; i < runs; i++) {
    exeTimes.push(await timeToFirst200(last!.platforms[0]!.executable.path, () => ['serve'], startOptions));
    nodeTimes.push(await timeToFirst200(node24, () => [bundleCopy, 'serve'], startOptions));
  }
  const exe = median(exeTimes);
  const plain = median(nodeTimes);
  console.log(`build (hello fixture, executable only): cold ${(buildTimes[0]! / 1000).toFixed(2)} s (strips node), warm ${(median(buildTimes.slice(1)) / 1000).toFixed(2)} s (stripped node cached)`);
  console.log(`start to first 200, median of ${runs}: executable ${exe.toFixed(1)} ms, node bundle.cjs ${plain.toFixed(1)} ms, ratio ${(exe / plain).toFixed(2)}`);
} finally {
  await removeFixture(dir);
  await rm(cacheDir, { recursive: true, force: true });
}
