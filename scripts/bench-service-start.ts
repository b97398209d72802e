// Benchmark (issue 15): what seabuild adds to the start of a web service, split from what a SEA costs.
// The app is scripts/bench-peers-apps/hello/server.cjs (node:http, "hello"). Sides, alternating round
// by round so machine noise hits them alike, each timed from spawn to the first 200 on /:
//   plain node running server.cjs · a raw SEA of the same stripped node with server.cjs as its main
//   script (no seabuild runtime) · seabuild's executable of the app · `bun build --compile` of it
//   when scripts/bench-peers.ts has installed Bun. NODE_EXTRA_CA_CERTS is removed (~55 ms here).
// Usage: node_modules/.bin/node scripts/bench-service-start.ts [--runs 41]
import { existsSync } from 'node:fs';
import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { execa } from 'execa';
import { build } from '../src/index.ts';
import { buildSea } from '../src/sea/index.ts';
import { node24 } from '../test/helpers/fixture.ts';
import { median, timeToFirst200 } from './first-200.ts';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '41' } } });
const runs = Number(values.runs);
const env: NodeJS.ProcessEnv = { ...process.env, SOURCE_DATE_EPOCH: '1700000000', HOST: '127.0.0.1' };
delete env.NODE_EXTRA_CA_CERTS;
delete env.NODE_OPTIONS;
const bun = join(homedir(), '.cache/seabuild/bench-peers/tools/node_modules/bun/bin/bun.exe');

const work = await mkdtemp(join(tmpdir(), 'seabuild-bench-service-'));
try {
  const app = join(work, 'app');
  await cp(resolve(import.meta.dirname, 'bench-peers-apps/hello'), app, { recursive: true });
  const built = await build({ cwd: app, image: false, env });
  const executable = built.platforms[0]!.executable;
  const raw = await buildSea({ node: executable.node, bundlePath: join(app, 'server.cjs'), assets: {}, output: join(work, 'raw-sea'), workDir: work, check: false });
  const sides: Array<{ label: string; command: string; args: string[] }> = [
    { label: `plain node ${executable.node.version} server.cjs`, command: node24, args: ['server.cjs'] },
    { label: 'raw SEA, server.cjs as main (no seabuild runtime)', command: raw.path, args: [] },
    { label: 'seabuild executable', command: executable.path, args: [] },
  ];
  if (existsSync(bun)) {
    await execa(bun, ['build', '--compile', 'server.cjs', '--outfile', join(work, 'bun-hello')], { cwd: app });
    sides.push({ label: 'bun build --compile', command: join(work, 'bun-hello'), args: [] });
  }
  const times = new Map<string, number[]>(sides.map((side) => [side.label, []]));
  const options = { env, cwd: app, attempts: 5000, stopSignal: 'SIGKILL' as const };
  for (const side of sides) await timeToFirst200(side.command, () => side.args, options); // page cache
  for (let round = 0; round < runs; round++) {
    for (const side of round % 2 === 0 ? sides : [...sides].reverse()) times.get(side.label)!.push(await timeToFirst200(side.command, () => side.args, options));
  }
  const load = (await readFile('/proc/loadavg', 'utf8')).split(' ').slice(0, 3).join(' ');
  console.log(`${runs} starts per side alternating, median, load average ${load}`);
  console.log('| process | start → first 200 | vs raw SEA | vs plain node |');
  console.log('|---|--:|--:|--:|');
  const [plain, rawSea] = [median(times.get(sides[0]!.label)!), median(times.get(sides[1]!.label)!)];
  for (const side of sides) {
    const ms = median(times.get(side.label)!);
    console.log(`| ${side.label} | ${ms.toFixed(1)} ms | ${(ms / rawSea).toFixed(2)}× | ${(ms / plain).toFixed(2)}× |`);
  }
} finally {
  await rm(work, { recursive: true, force: true });
}
