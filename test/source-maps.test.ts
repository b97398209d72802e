// Issue 25 item 1: a stack trace inside the executable names the app's own file and line, for
// TypeScript bundled directly and for tsc's output with its .js.map (the map chains through);
// --no-source-maps leaves the map out. Fixtures in test/fixtures/traces; the throw is on line 6 of src/fail.ts.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cp } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { copyFixture, removeFixture, repoRoot } from './helpers/fixture.ts';
import { runSeabuild } from './helpers/cli.ts';
import { readReport } from '../src/report/index.ts';
import { testOnEveryNode } from './helpers/node-versions.ts';

const run = (file: string, args: string[]) => execa(file, args, { reject: false, env: { NODE_EXTRA_CA_CERTS: '', NODE_OPTIONS: '' }, stdin: 'ignore' });

describe('stack traces name the app\'s source', () => {
  const dirs: string[] = [];
  const built = async (fixture: string, args: string[] = []): Promise<string> => {
    const dir = await copyFixture(`traces/${fixture}`);
    dirs.push(dir);
    if (fixture === 'tsc') {
      // The same sources, compiled by tsc with their maps (node's types from this checkout).
      await cp(join(repoRoot, 'test/fixtures/traces/ts/src'), join(dir, 'src'), { recursive: true });
      await execa(join(repoRoot, 'node_modules/.bin/tsc'), ['-p', '.', '--typeRoots', join(repoRoot, 'node_modules/@types'), '--types', 'node'], { cwd: dir });
    }
    const result = await runSeabuild(['build', '--no-image', ...args], { cwd: dir });
    assert.equal(result.exitCode, 0, result.all);
    return dir;
  };
  let ts: string;
  let tsc: string;
  before(async () => {
    ts = await built('ts');
    tsc = await built('tsc');
  });
  after(async () => { for (const dir of dirs) await removeFixture(dir); });

  test('TypeScript bundled directly: a caught error\'s stack names src/fail.ts:6 and src/main.ts', async () => {
    const caught = await run(join(ts, 'dist/traces-ts'), ['caught']);
    assert.equal(caught.exitCode, 0, caught.stderr);
    assert.match(caught.stdout, /^Error: order 7 failed\n {4}at checkOrder \(src\/fail\.ts:6:11\)\n {4}at .*\(src\/main\.ts:6:5\)/);
    assert.doesNotMatch(caught.stdout, /bundle\.cjs:\d+:\d+\)\n {4}at .*src\/main/, 'the app\'s frames are mapped');
    assert.doesNotMatch(caught.stdout, new RegExp(repoRoot), 'no path of the build machine');
  });

  test('an uncaught error: exit 1, the trace on stderr names src/fail.ts:6', async () => {
    const crashed = await run(join(ts, 'dist/traces-ts'), []);
    assert.equal(crashed.exitCode, 1);
    assert.match(crashed.stderr, /Error: order 8 failed\n {4}at checkOrder \(src\/fail\.ts:6:11\)\n {4}at .*\(src\/main\.ts:11:3\)/);
  });

  test('tsc output with dist/*.js.map: the frames name src/*.ts through the app\'s own maps', async () => {
    const caught = await run(join(tsc, 'dist/traces-tsc'), ['caught']);
    assert.equal(caught.exitCode, 0, caught.stderr);
    assert.match(caught.stdout, /^Error: order 7 failed\n {4}at checkOrder \(src\/fail\.ts:6:11\)\n {4}at .*\(src\/main\.ts:6:5\)/);
  });

  test('--no-source-maps: no map embedded (a smaller executable), frames name the bundle', async () => {
    const without = await built('ts', ['--no-source-maps', '--out-dir', 'dist-plain']);
    const caught = await run(join(without, 'dist-plain/traces-ts'), ['caught']);
    assert.match(caught.stdout, /at checkOrder \(bundle\.cjs:\d+:\d+\)/);
    // The executable's size moves in whole pages; the blob shows the map's bytes.
    const [withMap, withoutMap] = await Promise.all([readReport(join(ts, 'dist/traces-ts.report.json')), readReport(join(without, 'dist-plain/traces-ts.report.json'))]);
    assert.ok(withoutMap.executable.blobBytes! < withMap.executable.blobBytes!, `${withoutMap.executable.blobBytes} < ${withMap.executable.blobBytes}`);
  });

  // The runtime maps the frames itself (runtime-stubs/source-maps.ts), with nothing of Node's source-map support: the same on every Node.
  testOnEveryNode('an executable made with that node maps the trace', async (node) => {
    const out = `dist-${node.split('/').at(-4) ?? 'node'}`;
    const result = await runSeabuild(['build', '--no-image', '--node', node, '--out-dir', out], { cwd: ts });
    assert.equal(result.exitCode, 0, result.all);
    const caught = await run(join(ts, out, 'traces-ts'), ['caught']);
    assert.match(caught.stdout, /^Error: order 7 failed\n {4}at checkOrder \(src\/fail\.ts:6:11\)/);
  });
});
