// codeCache: the blob carries V8's code cache and is still the same every build.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { execa } from 'execa';
import { silentLogger } from '../log.ts';
import { buildSea, prepareNode, type PreparedNode } from './index.ts';

let dir: string;
let node: PreparedNode;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'seabuild-code-cache-test-'));
  node = await prepareNode(process.execPath, join(dir, 'cache'), silentLogger);
});
after(() => rm(dir, { recursive: true, force: true }));

async function build(name: string, codeCache: boolean) {
  const workDir = join(dir, name);
  await execa('mkdir', ['-p', workDir]);
  const bundlePath = join(workDir, 'bundle.cjs');
  // Many functions and strings, so the cache holds many string hashes (what varied between builds).
  await writeFile(bundlePath, `${Array.from({ length: 300 }, (_, i) => `function f${i}(o) { return o.key${i} ?? 'value ${i}'; }`).join('\n')}\nconsole.log(f7({ key7: 'cached' }), f299({}));\n`);
  return buildSea({ node, bundlePath, assets: {}, output: join(workDir, 'app'), workDir, codeCache, check: false });
}

test('with codeCache two builds give the same bytes, larger than without, and the executable runs', async () => {
  const [a, b, plain] = [await build('a', true), await build('b', true), await build('plain', false)];
  assert.equal(a.sha256, b.sha256);
  assert.ok(a.blobBytes > plain.blobBytes, `blob with cache ${a.blobBytes} bytes, without ${plain.blobBytes}`);
  const run = await execa(a.path, [], { env: { NODE_OPTIONS: '' } });
  assert.equal(run.stdout, 'cached value 299');
});
