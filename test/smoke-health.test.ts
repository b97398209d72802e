// The smoke run and the image's HEALTHCHECK judge a service by one rule (the healthcheck itself runs
// in the smoke run): a `/` answering 500 fails the build, as a container engine would call it
// unhealthy; an app listening on another port than PORT is told which at once, not after the timeout.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { runSeabuild } from './helpers/cli.ts';
import { copyFixture, removeFixture } from './helpers/fixture.ts';
import { requireRoot } from './helpers/engines.ts';

test('a service whose / answers 500 fails the smoke run by the healthcheck\'s rule; a healthcheckPath that answers passes', { timeout: 300_000 }, async (t) => {
  if (!requireRoot(t, 'the smoke run boots in a chroot and a network namespace')) return;
  const dir = await copyFixture('plain/root-500');
  try {
    const failed = await runSeabuild(['build'], { cwd: dir });
    assert.equal(failed.exitCode, 1, failed.all);
    assert.match(failed.stderr, /healthcheck calls it unhealthy \(healthcheck: GET \/ on port 3000 answered 500\)/);
    assert.match(failed.stderr, /healthcheckPath/);
    // A failed build leaves nothing at the output paths: dist/, which it created, is gone again.
    assert.equal(existsSync(join(dir, 'dist')), false);
    const passed = await runSeabuild(['build', '--healthcheck-path', '/ok'], { cwd: dir });
    assert.equal(passed.exitCode, 0, passed.all);
    assert.match(passed.all ?? '', /smoke run passed/);
  } finally {
    await removeFixture(dir);
  }
});

test('an app listening on a fixed port other than PORT is told which port without waiting out the boot timeout', { timeout: 300_000 }, async (t) => {
  if (!requireRoot(t, 'the smoke run boots in a chroot and a network namespace')) return;
  const dir = await copyFixture('plain/other-port');
  try {
    // The default timeout (20 s): the message says the port was seen, not that the time ran out.
    const result = await runSeabuild(['build'], { cwd: dir });
    assert.equal(result.exitCode, 1);
    assert.match(result.stderr, /listens on port 4123, not on PORT=3000 \(nothing on PORT 2 s after it listened there\)/);
    assert.doesNotMatch(result.stderr, /within 20 s/);
  } finally {
    await removeFixture(dir);
  }
});
