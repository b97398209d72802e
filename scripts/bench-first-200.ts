// Benchmark (issue 22): start-to-first-200 of any command that serves HTTP on $PORT (an executable,
// or `node ENTRY`), started in CWD; prints the median and every run. NODE_EXTRA_CA_CERTS is removed
// (it adds ~55 ms to every Node start here, docs/TESTING.md); HOST/HOSTNAME are loopback (Next listens on HOSTNAME).
// Usage: node_modules/.bin/node scripts/bench-first-200.ts RUNS CWD COMMAND [ARGS...]
import { median, timeToFirst200 } from './first-200.ts';

const [runs = '7', cwd = '.', command, ...args] = process.argv.slice(2);
if (!command) throw new Error('usage: bench-first-200.ts RUNS CWD COMMAND [ARGS...]');
const env: NodeJS.ProcessEnv = { ...process.env, HOST: '127.0.0.1', HOSTNAME: '127.0.0.1', NODE_ENV: 'production' };
delete env.NODE_EXTRA_CA_CERTS;
const times: number[] = [];
for (let i = 0; i < Number(runs); i++) times.push(await timeToFirst200(command, () => args, { env, cwd, attempts: 5000, stopSignal: 'SIGTERM' }));
console.log(JSON.stringify({ first200MedianMs: Math.round(median(times)), runsMs: times.map(Math.round) }));
