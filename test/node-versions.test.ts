// What seabuild builds must not assume the Node it runs on: build the fixture for Node 22 and 26 too.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execa } from 'execa';
import { build } from '../src/index.ts';
import { copyFixture, removeFixture } from './helpers/fixture.ts';
import { httpRequest, startServer } from './helpers/http.ts';
import { nodeBinary, otherNodeVersions } from './helpers/node-versions.ts';

let dir: string;
before(async () => { dir = await copyFixture('hello'); });
after(() => removeFixture(dir));

for (const version of otherNodeVersions) {
  test(`--node ${version}: the executable runs that Node and serves its assets`, async () => {
    const node = await nodeBinary(version);
    const result = await build({ cwd: dir, image: false, node, outDir: `dist-${version}`, env: { SOURCE_DATE_EPOCH: '1700000000' } });
    assert.equal(result.platforms[0]!.executable.node.version, `v${version}`);
    const { stdout } = await execa(result.platforms[0]!.executable.path, ['version', '--json']);
    assert.equal(JSON.parse(stdout).node, `v${version}`);
    const server = await startServer(result.platforms[0]!.executable.path, ['serve']);
    try {
      const css = JSON.parse((await execa(result.platforms[0]!.executable.path, ['assets', '--json'])).stdout)[0].url;
      const answer = await httpRequest(server.port, css, { headers: { 'Accept-Encoding': 'br' } });
      assert.equal(answer.status, 200);
      assert.equal(answer.headers['content-encoding'], 'br');
    } finally {
      server.child.kill('SIGTERM');
      assert.equal((await server.exited).code, 0);
    }
  });
}
