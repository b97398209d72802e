// Benchmark (issue 11): build time and executable size of every corpus entry (test/corpus-packages),
// built as a user would (`seabuild build --entry ENTRY [--cli] --no-image`, no configuration), against
// a baseline built in the same run: test/fixtures/hello (a service with no dependency). The ratios say
// what each app's packages, tree and rebuilds cost on top of the node runtime every executable carries.
// Usage: node_modules/.bin/node scripts/bench-corpus.ts [node binary]
import { execa } from 'execa';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { copyFixture, node24, removeFixture, seabuildBin } from '../test/helpers/fixture.ts';
import { copyCorpus, corpusEntries } from '../test/helpers/packages-corpus.ts';

const node = process.argv[2] ?? node24;
const env = { SOURCE_DATE_EPOCH: '1700000000' };

async function timedBuild(cwd: string, args: string[], out: string): Promise<{ seconds: number; bytes: number }> {
  const started = performance.now();
  const built = await execa(node24, [seabuildBin, 'build', ...args, '--out-dir', out, '--node', node, '--no-image'], { cwd, reject: false, all: true, env });
  if (built.exitCode !== 0) throw new Error(`build in ${cwd} failed:\n${built.all}`);
  const seconds = (performance.now() - started) / 1000;
  const name = args[args.indexOf('--name') + 1]!;
  return { seconds, bytes: statSync(join(out, name)).size };
}

const hello = await copyFixture('hello');
const corpus = await copyCorpus();
try {
  // Once to warm the stripped-node cache, as every later build finds it.
  await timedBuild(hello, ['--name', 'hello'], join(hello, 'dist'));
  const baseline = await timedBuild(hello, ['--name', 'hello'], join(hello, 'dist'));
  const { stdout: version } = await execa(node, ['--version']);
  console.log(`node ${version}; baseline test/fixtures/hello: ${baseline.seconds.toFixed(1)} s, ${(baseline.bytes / 1e6).toFixed(1)} MB\n`);
  console.log('| entry | build | × baseline | executable | × baseline |');
  console.log('|---|---|---|---|---|');
  for (const e of corpusEntries().filter((x) => !x.build)) {
    const cwd = join(corpus, e.dir ?? '.');
    const result = await timedBuild(cwd, ['--entry', e.entry, '--name', e.name, ...(e.cli ? ['--cli'] : [])], join(corpus, 'dist', e.name));
    console.log(`| ${e.name} | ${result.seconds.toFixed(1)} s | ${(result.seconds / baseline.seconds).toFixed(2)} | ${(result.bytes / 1e6).toFixed(1)} MB | ${(result.bytes / baseline.bytes).toFixed(3)} |`);
  }
} finally {
  await removeFixture(hello);
  await removeFixture(corpus);
}
