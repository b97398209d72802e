// Benchmark (issue 15): a warm build of examples/kitteh with its image, SBOMs and report, this tree's
// CLI against another commit's, alternating round by round so machine noise hits both alike.
// Two cases per round and side: after a one-line change to the app (one more adjective in
// src/words.ts, restored at the end), which is what a release build after an edit does, then the
// same inputs again ("no change"). Each side has its own cache folder and output folder, warmed by one uncounted
// build; the smoke run does not boot the service (--no-verify-boot: Kitteh's first start is PGlite
// creating its database, 6-7 s that are the app's, see BENCHMARKS.md). Wall and CPU (user+sys, the
// whole process tree) and peak RSS of the largest process come from GNU time.
// Needs examples/kitteh installed (npm ci --prefix examples/kitteh), as the README's first command does.
// Usage: node_modules/.bin/node scripts/bench-build.ts [--baseline REF=HEAD~1] [--rounds 5]
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { node24 } from '../test/helpers/fixture.ts';

const { values } = parseArgs({ options: { baseline: { type: 'string', default: 'HEAD~1' }, rounds: { type: 'string', default: '5' } } });
const repo = resolve(import.meta.dirname, '..');
const app = join(repo, 'examples/kitteh');
const words = join(app, 'src/words.ts');
const work = mkdtempSync(join(tmpdir(), 'seabuild-bench-build-'));
const baselineCommit = execFileSync('git', ['-C', repo, 'rev-parse', '--short', values.baseline], { encoding: 'utf8' }).trim();
const baselineDir = join(work, 'baseline');
execFileSync('bash', ['-c', `mkdir -p ${baselineDir} && git -C ${repo} archive ${baselineCommit} | tar -x -C ${baselineDir}`]);
symlinkSync(join(repo, 'node_modules'), join(baselineDir, 'node_modules'));

interface Sample { wallS: number; cpuS: number; rssMb: number }
const sides = [
  { label: `before (${baselineCommit})`, cli: join(baselineDir, 'bin/seabuild.js') },
  { label: 'after (this tree)', cli: join(repo, 'bin/seabuild.js') },
].map((side, i) => ({ ...side, cache: join(work, `cache-${i}`), out: join(work, `out-${i}`), samples: { same: [] as Sample[], changed: [] as Sample[] } }));

function timed(side: (typeof sides)[number]): Sample {
  const env = { ...process.env, SEABUILD_CACHE_DIR: side.cache };
  try {
    execFileSync('/usr/bin/time', ['-f', 'TIME %e %U %S %M', '-o', join(work, 'time.txt'), node24, side.cli, 'build', '--no-verify-boot', '--quiet', '--out-dir', side.out], { cwd: app, env, stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (error) {
    throw new Error(`${side.label}: the build failed: ${String((error as { stderr?: Buffer }).stderr ?? '').slice(-500)}`);
  }
  const [wall, user, sys, rssKb] = readFileSync(join(work, 'time.txt'), 'utf8').trim().split('\n').at(-1)!.split(' ').slice(1).map(Number);
  return { wallS: wall!, cpuS: user! + sys!, rssMb: rssKb! / 1024 };
}

const original = readFileSync(words, 'utf8');
try {
  for (const side of sides) timed(side); // fills the cache: stripped node, postject template, blocks
  for (let round = 0; round < Number(values.rounds); round++) {
    for (const side of round % 2 === 0 ? sides : [...sides].reverse()) {
      // A word of its own per round and side: the first build sees a change, the second the same inputs.
      writeFileSync(words, original.replace('adjectives: readonly string[] = [\n', `adjectives: readonly string[] = [\n  'bench${round}${side.cli.length}',\n`));
      try {
        side.samples.changed.push(timed(side));
        side.samples.same.push(timed(side));
      } finally {
        writeFileSync(words, original);
      }
    }
  }
} finally {
  writeFileSync(words, original);
  rmSync(work, { recursive: true, force: true });
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const load = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
console.log(`${values.rounds} rounds, alternating, medians; load average at the end ${load}`);
console.log('| case | side | wall | CPU (user+sys) | peak RSS | wall vs before | CPU vs before |');
console.log('|---|---|--:|--:|--:|--:|--:|');
for (const kind of ['same', 'changed'] as const) {
  const base = sides[0]!.samples[kind];
  for (const side of sides) {
    const s = side.samples[kind];
    const [wall, cpu, rss] = [median(s.map((x) => x.wallS)), median(s.map((x) => x.cpuS)), median(s.map((x) => x.rssMb))];
    const caseName = kind === 'same' ? 'no change' : 'one-line change';
    console.log(`| ${caseName} | ${side.label} | ${wall.toFixed(2)} s | ${cpu.toFixed(2)} s | ${rss.toFixed(0)} MB | ${(wall / median(base.map((x) => x.wallS))).toFixed(2)}× | ${(cpu / median(base.map((x) => x.cpuS))).toFixed(2)}× |`);
  }
}
