// jest-worker's pool forks its own child script (child_process.fork), which requires this app's module.
const { Worker } = require('jest-worker');
const { join } = require('node:path');

async function main() {
  const pool = new Worker(join(__dirname, 'jest-worker-task.cjs'), { numWorkers: 2, enableWorkerThreads: false });
  const results = await Promise.all([5, 10, 20, 25].map((n) => pool.fibonacci(n)));
  console.log(results.join(' '));
  console.log(await pool.describe('corpus'));
  await pool.end();
}
main();
