// Benchmark (issue 10): start-to-first-200 of a plain service from the corpus (an app that never
// heard of seabuild), its executable against `node ENTRY` in the same folder, alternated in one run
// so that machine noise hits both sides alike. NODE_EXTRA_CA_CERTS is removed from both sides'
// environment (it adds ~55 ms to every Node start here, docs/TESTING.md).
// Usage: node_modules/.bin/node scripts/bench-plain-startup.ts [runs=20] [corpus folder=json-server]
import { services } from '../test/corpus/entries.ts';
import { buildApp, executableArgs, installApp, removeApp } from '../test/helpers/corpus.ts';
import { node24 } from '../test/helpers/fixture.ts';
import { median, timeToFirst200 } from './first-200.ts';

const runs = Number(process.argv[2] ?? 20);
const folder = process.argv[3] ?? 'json-server';
const entry = services.find((each) => each.dir === folder);
if (!entry) throw new Error(`no corpus service ${folder} (test/corpus/entries.ts)`);

const env: NodeJS.ProcessEnv = { ...process.env, ...entry.env, HOST: '127.0.0.1' };
delete env.NODE_EXTRA_CA_CERTS;

const startOptions = { env, attempts: 5000, stopSignal: 'SIGKILL' as const };

const app = await installApp(folder);
try {
  const built = await buildApp(app, entry.entry, ['--no-image']);
  if (built.exitCode !== 0) throw new Error(`seabuild build failed:\n${built.output}`);
  const executableTimes: number[] = [];
  const nodeTimes: number[] = [];
  // One warm-up of each (page cache, the executable's first-start extraction, if any), not counted.
  await timeToFirst200(built.executable, (port) => executableArgs(entry.args(port)), { ...startOptions, cwd: app.dir });
  await timeToFirst200(node24, (port) => [entry.entry, ...entry.args(port)], { ...startOptions, cwd: app.dir });
  for (let i = 0; i < runs; i++) {
    executableTimes.push(await timeToFirst200(built.executable, (port) => executableArgs(entry.args(port)), { ...startOptions, cwd: app.dir }));
    nodeTimes.push(await timeToFirst200(node24, (port) => [entry.entry, ...entry.args(port)], { ...startOptions, cwd: app.dir }));
  }
  const executable = median(executableTimes);
  const plain = median(nodeTimes);
  console.log(`${folder} (${entry.entry}), node ${process.version}, NODE_EXTRA_CA_CERTS unset, median of ${runs} alternated runs`);
  console.log(`start to first 200 on /: executable ${executable.toFixed(1)} ms, node ENTRY ${plain.toFixed(1)} ms, ratio ${(executable / plain).toFixed(2)}`);
} finally {
  await removeApp(app);
}
