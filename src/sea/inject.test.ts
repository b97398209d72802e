// The template injector against postject itself, on the real node binaries users ship on: same bytes
// for a blob of another size, and the result runs as a SEA.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { copyFile, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { execa } from 'execa';
import { nodeBinary, otherNodeVersions } from '../../test/helpers/node-versions.ts';
import { inspectNodeBinary, seaFuse } from './node-binary.ts';
import { injectFromTemplate, prepareInjectTemplate, type Postject } from './inject.ts';
import { stripNodeBinary } from './strip.ts';
import { sha256File } from '../sha256.ts';

const postjectCli = createRequire(import.meta.url).resolve('postject/dist/cli.js');
const postject: Postject = async (executable, blobPath) => {
  await execa(process.execPath, [postjectCli, executable, 'NODE_SEA_BLOB', blobPath, '--sentinel-fuse', seaFuse]);
};
let dir: string;

before(async () => { dir = await mkdtemp(join(tmpdir(), 'seabuild-inject-test-')); });
after(() => rm(dir, { recursive: true, force: true }));

describe('injectFromTemplate', () => {
  for (const version of [process.version.slice(1), ...otherNodeVersions]) {
    test(`node ${version}: the same bytes as postject for a new blob, and it runs`, async () => {
      const node = await inspectNodeBinary(version === process.version.slice(1) ? process.execPath : await nodeBinary(version));
      const stripped = await stripNodeBinary(node, join(dir, 'cache'));
      const template = await prepareInjectTemplate(stripped.path, postject);
      assert.ok(template.path !== null, template.path === null ? template.reason : '');
      // A real blob: node makes it from a script, so the executable must run it.
      const work = join(dir, version);
      await execa('mkdir', ['-p', work]);
      await writeFile(join(work, 'main.js'), `console.log('injected ' + ${JSON.stringify(randomBytes(40_000).toString('hex'))}.length);\n`);
      await writeFile(join(work, 'sea.json'), JSON.stringify({ main: 'main.js', output: 'blob', disableExperimentalSEAWarning: true, useCodeCache: false, useSnapshot: false }));
      await execa(node.path, ['--experimental-sea-config', 'sea.json'], { cwd: work });
      const blob = join(work, 'blob');
      const expected = join(work, 'by-postject');
      await copyFile(stripped.path, expected);
      await postject(expected, blob);
      const actual = join(work, 'by-template');
      await injectFromTemplate(template, blob, (await stat(blob)).size, actual);
      assert.equal(await sha256File(actual), await sha256File(expected));
      const run = await execa(actual, [], { env: { NODE_OPTIONS: '' } });
      assert.equal(run.stdout, 'injected 80000');
    });
  }
});
