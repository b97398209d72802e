// An ESM app that starts its own worker with new Worker(new URL(…, import.meta.url)) and prints with
// an ESM-only package (chalk); the worker parses YAML with a package of its own (yaml).
import { Worker } from 'node:worker_threads';
import { Chalk } from 'chalk';

const chalk = new Chalk({ level: 1 });
const worker = new Worker(new URL('./parse-worker.mjs', import.meta.url), { workerData: 'name: corpus\nitems:\n  - lamp\n  - desk\nnested: { depth: 2 }\n' });
worker.once('message', (parsed) => {
  console.log(chalk.green('parsed in a worker:'), JSON.stringify(parsed));
  console.log(chalk.bold.red(`items: ${parsed.items.length}`));
});
