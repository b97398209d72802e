// Benchmark (issue 15): what seabuild's runtime adds to every start, against a raw SEA of the same
// stripped node, in one run. The raw SEA's main script writes one line (`console.log`); the app is
// test/fixtures/hello (a runApp app) running `version`, which prints four lines and loads no app
// dependency. Both sides run alternately, with the same preload (NODE_OPTIONS=--require) reporting
// the process's own CPU time (user+sys, from exec to exit, µs resolution) and peak RSS (VmHWM) at exit;
// stdout is a pipe, as in `$(./app version)`. NODE_EXTRA_CA_CERTS is removed (it adds ~55 ms here).
// Usage: node_modules/.bin/node scripts/bench-runtime-start.ts [--runs 40] [--also LABEL=EXECUTABLE ...]
//        [--callgrind N] [--keep DIR]
//   --also runs `EXECUTABLE version` as a further side (e.g. an executable built before a change).
//   --callgrind N also counts each side's instructions N times under `valgrind --tool=callgrind` (all
//     threads, exec to exit): the same binary in the same environment gives nearly the same count
//     whatever else the machine runs, where CPU time on a shared VM moves by ±20 %.
//   --keep DIR keeps the executable and the raw SEA in DIR (for --also in a later run).
import { execFile, spawn } from 'node:child_process';
import { realpathSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { build } from '../src/index.ts';
import { buildSea } from '../src/sea/index.ts';
import { copyFixture, removeFixture } from '../test/helpers/fixture.ts';

const { values } = parseArgs({ options: {
  runs: { type: 'string', default: '40' },
  also: { type: 'string', multiple: true, default: [] },
  callgrind: { type: 'string', default: '0' },
  keep: { type: 'string' },
} });
const runs = Number(values.runs);
const callgrindRuns = Number(values.callgrind);
const env: NodeJS.ProcessEnv = { ...process.env, SOURCE_DATE_EPOCH: '1700000000' };
delete env.NODE_EXTRA_CA_CERTS;
delete env.NODE_OPTIONS;

interface Side { label: string; command: string; args: string[] }
interface Sample { wallMs: number; cpuMs: number; rssMb: number }

const work = await mkdtemp(join(tmpdir(), 'seabuild-bench-runtime-'));
const dir = await copyFixture('hello');
try {
  const built = await build({ cwd: dir, image: false, env });
  // The baseline: the same stripped node with a one-line main script and nothing else.
  const rawMain = join(work, 'raw.cjs');
  await writeFile(rawMain, "console.log('hello');\n");
  const raw = await buildSea({ node: built.platforms[0]!.executable.node, bundlePath: rawMain, assets: {}, output: join(work, 'raw-sea'), workDir: work, check: false });
  const probe = join(work, 'probe.cjs');
  await writeFile(probe, [
    "process.on('exit', () => {",
    '  const cpu = process.cpuUsage();',
    // VmHWM, not getrusage's maxRSS: Linux keeps the parent's maxRSS across fork and exec.
    "  const fs = require('fs');",
    "  const hwmKb = Number(/VmHWM:\\s+(\\d+)/.exec(fs.readFileSync('/proc/self/status', 'utf8'))[1]);",
    "  fs.writeFileSync(process.env.BENCH_PROBE_OUT, JSON.stringify({ cpuMs: (cpu.user + cpu.system) / 1000, rssMb: hwmKb / 1024 }));",
    '});',
  ].join('\n'));

  if (values.keep) {
    await mkdir(values.keep, { recursive: true });
    await copyFile(built.platforms[0]!.executable.path, join(values.keep, 'hello'));
    await copyFile(raw.path, join(values.keep, 'raw-sea'));
  }
  const sides: Side[] = [
    { label: 'raw SEA (console.log one line)', command: raw.path, args: [] },
    { label: 'seabuild hello: version', command: built.platforms[0]!.executable.path, args: ['version'] },
    ...values.also!.map((spec) => { const at = spec.indexOf('='); return { label: `${spec.slice(0, at)}: version`, command: spec.slice(at + 1), args: ['version'] }; }),
  ];
  const samples = new Map<string, Sample[]>(sides.map((s) => [s.label, []]));
  const runOnce = async (side: Side): Promise<Sample> => {
    const out = join(work, 'probe.json');
    const started = performance.now();
    const child = spawn(side.command, side.args, { env: { ...env, NODE_OPTIONS: `--require ${probe}`, BENCH_PROBE_OUT: out }, stdio: ['ignore', 'pipe', 'inherit'] });
    child.stdout.resume();
    const code = await new Promise((resolve) => child.once('close', resolve));
    const wallMs = performance.now() - started;
    if (code !== 0) throw new Error(`${side.command} ${side.args.join(' ')} exited with ${code}`);
    return { wallMs, ...JSON.parse(await readFile(out, 'utf8')) };
  };
  for (const side of sides) await runOnce(side); // warm the page cache
  for (let round = 0; round < runs; round++) {
    for (const side of round % 2 === 0 ? sides : [...sides].reverse()) samples.get(side.label)!.push(await runOnce(side));
  }

  const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const load = (await readFile('/proc/loadavg', 'utf8')).split(' ').slice(0, 3).join(' ');
  console.log(`node ${built.platforms[0]!.executable.node.version}, ${runs} runs per side alternating, load average ${load}`);
  console.log('| process | wall (spawn → exit) | CPU (user+sys) | peak RSS | wall vs raw | CPU vs raw | RSS vs raw |');
  console.log('|---|--:|--:|--:|--:|--:|--:|');
  const base = samples.get(sides[0]!.label)!;
  const [baseWall, baseCpu, baseRss] = [median(base.map((s) => s.wallMs)), median(base.map((s) => s.cpuMs)), median(base.map((s) => s.rssMb))];
  for (const side of sides) {
    const xs = samples.get(side.label)!;
    const [wall, cpu, rss] = [median(xs.map((s) => s.wallMs)), median(xs.map((s) => s.cpuMs)), median(xs.map((s) => s.rssMb))];
    console.log(`| ${side.label} | ${wall.toFixed(1)} ms | ${cpu.toFixed(1)} ms | ${rss.toFixed(1)} MB | ${(wall / baseWall).toFixed(2)}× | ${(cpu / baseCpu).toFixed(2)}× | ${(rss / baseRss).toFixed(2)}× |`);
  }
  if (callgrindRuns > 0) await countInstructions(sides, callgrindRuns);
} finally {
  await removeFixture(dir);
  await rm(work, { recursive: true, force: true });
}

/**
 * Instructions executed by each side (callgrind, all threads), `times` runs each: min–max. Node's
 * start runs `detail::sprp`, a probabilistic primality test whose rounds are random: 7–20 M
 * instructions from one run of the same binary to the next (measured), the same on every side. Its
 * own count (found by its address in the unstripped node the bench runs on) is left out.
 */
async function countInstructions(sides: Side[], times: number): Promise<void> {
  const random = await randomFunctionAddress();
  const counts = new Map<string, number[]>(sides.map((s) => [s.label, []]));
  const out = join(tmpdir(), `seabuild-bench-callgrind-${process.pid}.out`);
  for (let round = 0; round < times; round++) {
    for (const side of sides) {
      const code = await new Promise((resolve) => spawn('valgrind', ['--tool=callgrind', `--callgrind-out-file=${out}`, side.command, ...side.args], { env, stdio: 'ignore' }).once('close', resolve));
      if (code !== 0) throw new Error(`valgrind ${side.command} ${side.args.join(' ')} exited with ${code}`);
      const annotated = await commandOutput('callgrind_annotate', ['--threshold=100', out]);
      const total = instructionsOn(annotated, 'PROGRAM TOTALS');
      if (total === undefined) throw new Error(`callgrind_annotate printed no total for ${side.command}`);
      counts.get(side.label)!.push(total - ((random && instructionsOn(annotated, random)) || 0));
    }
  }
  await rm(out, { force: true });
  const base = Math.min(...counts.get(sides[0]!.label)!);
  console.log(`\nInstructions (valgrind --tool=callgrind, all threads${random ? ', without detail::sprp' : ''}), ${times} runs per side`);
  console.log('| process | instructions (min–max) | vs raw (min) |');
  console.log('|---|--:|--:|');
  for (const side of sides) {
    const xs = counts.get(side.label)!;
    const [low, high] = [Math.min(...xs), Math.max(...xs)];
    console.log(`| ${side.label} | ${(low / 1e6).toFixed(2)}–${(high / 1e6).toFixed(2)} M | ${(low / base).toFixed(3)}× |`);
  }
}

/** `0x…` as callgrind names `detail::sprp` in a stripped node of this version (same text addresses), or undefined. */
async function randomFunctionAddress(): Promise<string | undefined> {
  const symbols = await commandOutput('nm', ['-C', '--defined-only', realpathSync(process.execPath)]).catch(() => '');
  const line = symbols.split('\n').find((l) => l.includes(' detail::sprp('));
  return line ? `0x${line.split(' ')[0]}` : undefined;
}

/** The count callgrind_annotate prints on the line that names `what`. */
function instructionsOn(annotated: string, what: string): number | undefined {
  const line = annotated.split('\n').find((l) => l.includes(what));
  const count = line && /^\s*([\d,]+)/.exec(line);
  return count ? Number(count[1]!.replaceAll(',', '')) : undefined;
}

function commandOutput(command: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => execFile(command, args, { maxBuffer: 1 << 28 }, (error, stdout) => (error ? reject(error) : resolve(stdout))));
}
