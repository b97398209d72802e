// `seabuild build --push`: the CLI pushes the built image to a real registry (distribution 2.8).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFixture, removeFixture } from './helpers/fixture.ts';
import { runSeabuild } from './helpers/cli.ts';
import { run, startRegistry, type Registry } from './helpers/engines.ts';

let dir: string;
let registry: Registry;
before(async () => {
  dir = await copyFixture('hello');
  registry = await startRegistry({ htpasswd: { username: 'ci', password: 'secret' } });
});
after(async () => {
  await registry?.stop();
  await removeFixture(dir);
});

test('build --push with credentials from the environment; the registry serves the same manifest', async () => {
  const image = `${registry.address}/acme/hello`;
  const denied = await runSeabuild(['build', '--push', '--insecure-registry', '--image-name', image, '--no-verify'], { cwd: dir });
  assert.equal(denied.exitCode, 1, denied.all);
  assert.match(denied.stderr, /REGISTRY|unauthori|credentials/i);
  const pushed = await runSeabuild(['build', '--push', '--insecure-registry', '--image-name', image, '--no-verify'], { cwd: dir, env: { SEABUILD_REGISTRY_USERNAME: 'ci', SEABUILD_REGISTRY_PASSWORD: 'secret' } });
  assert.equal(pushed.exitCode, 0, pushed.all);
  const digest = /pushed\s+\S+@(sha256:[0-9a-f]{64})/.exec(pushed.stderr)?.[1];
  assert.ok(digest, pushed.stderr);
  const inspected = await run('skopeo', ['inspect', '--tls-verify=false', '--creds', 'ci:secret', `docker://${image}:1.2.3`]);
  assert.equal(inspected.exitCode, 0, inspected.stderr);
  assert.equal(JSON.parse(inspected.stdout).Digest, digest);
});
