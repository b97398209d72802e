// A plain service whose packages use signal-exit (real, from npm: 3.0.7 and 4.1.0): under node its
// callbacks run on SIGTERM/SIGINT and the signal then ends the process; in the executable the
// callbacks run the same, then the runtime drains and exits 0 (it did nothing before: each of the
// two waited for the other, and `docker stop` waited for SIGKILL).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { copyFixture, node24, removeFixture } from './helpers/fixture.ts';
import { runSeabuild } from './helpers/cli.ts';
import { startServer } from './helpers/http.ts';

let dir: string;
before(async () => {
  dir = await copyFixture('plain/signal-exit'); // npm ci of its lockfile
  const result = await runSeabuild(['build', '--no-image'], { cwd: dir });
  assert.equal(result.exitCode, 0, result.all);
});
after(() => removeFixture(dir));

for (const version of ['v3', 'v4']) {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    test(`signal-exit ${version}, ${signal}: its callback runs as under node, then the executable drains and exits 0`, async () => {
      const underNode = await startServer(node24, [join(dir, 'server.js'), version]);
      underNode.child.kill(signal);
      assert.deepEqual(await underNode.exited, { code: null, signal });
      const inExe = await startServer(join(dir, 'dist/plain-signal-exit'), [version]);
      inExe.child.kill(signal);
      const timer = setTimeout(() => inExe.child.kill('SIGKILL'), 10_000);
      const exited = await inExe.exited;
      clearTimeout(timer);
      assert.deepEqual(exited, { code: 0, signal: null }, inExe.output());
      assert.match(underNode.output(), new RegExp(`^cleanup null ${signal}$`, 'm'));
      assert.match(inExe.output(), new RegExp(`^cleanup null ${signal}$`, 'm'));
    });
  }
}
