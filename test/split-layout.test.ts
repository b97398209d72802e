// image.layout "split": node alone in a runtime layer, the app as files. A code change then changes
// only the app layer (same system and runtime layer digests), and the image still runs under podman:
// version without the app, serve with an asset, a clean stop on SIGTERM.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { copyFixture, removeFixture } from './helpers/fixture.ts';
import { runSeabuild } from './helpers/cli.ts';
import { createPodman, requireTools, type Podman } from './helpers/engines.ts';
import { freePort, httpRequest } from './helpers/http.ts';

let app: string;
let podman: Podman | undefined;
const layersOf = (dir: string) => JSON.parse(readFileSync(join(app, dir, 'hello-fixture.report.json'), 'utf8')).layers.map((l: any) => [l.name, l.digest]);

before(async () => { app = await copyFixture('hello'); });
after(async () => { await podman?.remove(); await removeFixture(app); });

test('a one-line code change changes only the app layer; the SBOM names node and the bundle as their own files', { timeout: 300_000 }, async () => {
  const first = await runSeabuild(['build', '--image-layout', 'split', '--out-dir', 'one'], { cwd: app });
  assert.equal(first.exitCode, 0, first.all);
  const main = join(app, 'src/main.ts');
  writeFileSync(main, `${readFileSync(main, 'utf8')}\nexport const release = 2; // one more line\n`);
  const second = await runSeabuild(['build', '--image-layout', 'split', '--out-dir', 'two'], { cwd: app });
  assert.equal(second.exitCode, 0, second.all);
  const [one, two] = [layersOf('one'), layersOf('two')];
  assert.deepEqual(one.map((l: string[]) => l[0]), ['system', 'runtime', 'app']);
  assert.deepEqual(two.slice(0, 2), one.slice(0, 2), 'system and runtime layers are byte for byte the same');
  assert.notEqual(two[2][1], one[2][1]);
  const spdx = JSON.parse(readFileSync(join(app, 'two/hello-fixture.spdx.json'), 'utf8'));
  const ids = new Set([...spdx.packages, ...spdx.files].map((e: any) => e.SPDXID).concat('SPDXRef-DOCUMENT'));
  for (const r of spdx.relationships) assert.ok(ids.has(r.spdxElementId) && ids.has(r.relatedSpdxElement), JSON.stringify(r));
  const file = (name: string) => spdx.files.find((f: any) => f.fileName === name).SPDXID;
  assert.ok(spdx.relationships.some((r: any) => r.spdxElementId === file('./usr/local/bin/node') && r.relatedSpdxElement === 'SPDXRef-Package-node'));
  assert.ok(spdx.relationships.some((r: any) => r.spdxElementId === file('./app/main.cjs') && r.relatedSpdxElement === 'SPDXRef-Package-app'));
});

test('the split image runs under podman: version, serve with an asset, clean stop', { timeout: 300_000 }, async (t) => {
  if (!requireTools(t, ['podman', 'runc'])) return;
  podman = await createPodman();
  const loaded = await podman.podman(['load', '-i', join(app, 'two/hello-fixture.image.tar')]);
  assert.equal(loaded.exitCode, 0, loaded.stderr);
  const image = 'docker.io/library/hello-fixture:1.2.3';
  const version = await podman.podman(['run', '--rm', '--network', 'none', '--read-only', image, 'version']);
  assert.equal(version.exitCode, 0, version.stderr);
  assert.match(version.stdout, /hello-fixture 1\.2\.3/);
  const port = await freePort();
  const served = podman.podman(['run', '--rm', '--network', 'host', '--read-only', '-e', `PORT=${port}`, '--name', 'split-web', image], { timeoutMs: 120_000 });
  let answer;
  for (let i = 0; i < 60 && !answer; i++) { await new Promise((resolve) => setTimeout(resolve, 500)); answer = await httpRequest(port, '/').catch(() => undefined); }
  assert.equal(answer?.status, 200);
  const css = /href="(\/assets\/[^"]+)"/.exec(answer!.body.toString())?.[1];
  assert.equal((await httpRequest(port, css!)).status, 200, css);
  assert.equal((await podman.podman(['stop', '-t', '10', 'split-web'])).exitCode, 0);
  assert.equal((await served).exitCode, 0, 'SIGTERM: a clean exit');
});
