// A bundled package's dynamic import of a builtin the tree patches lazily (PGlite's
// `(await import("fs/promises")).readFile` of its own data file) runs in the executable's main
// script, where Node answers a builtin's import() itself: the read must still come from the tree
// (src/bundle/builtin-imports.ts). Built for real and run from an empty folder, as plain node runs it.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { node24, removeFixture, seabuildBin } from './helpers/fixture.ts';
import { testOnEveryNode } from './helpers/node-versions.ts';

const files: Record<string, string> = {
  'package.json': JSON.stringify({ name: 'builtin-import', version: '1.0.0', main: 'main.cjs' }),
  'main.cjs': "require('reader')().then((lines) => console.log(lines.join('\\n')), (e) => { console.error(e.message); process.exit(1); });\n",
  'node_modules/reader/package.json': JSON.stringify({ name: 'reader', version: '1.0.0', main: 'index.js' }),
  'node_modules/reader/data.txt': 'from the package folder\n',
  'node_modules/reader/index.js': [
    "const path = require('path');",
    'module.exports = async () => {',
    "  const promises = await import('fs/promises');",
    "  const prefixed = await import('node:fs/promises');",
    "  const { Worker } = await import('node:worker_threads');",
    "  const file = path.join(__dirname, 'data.txt');",
    "  return [(await promises.readFile(file, 'utf8')).trim(), (await prefixed.default.readFile(file, 'utf8')).trim(), typeof Worker];",
    '};',
    '',
  ].join('\n'),
};

// Node 26 answers it past every hook (Node 24 happened to go through the loader).
testOnEveryNode("a bundled package's import('fs/promises') reads its own files from the executable's tree", async (node) => {
  const app = mkdtempSync(join(tmpdir(), 'seabuild-builtin-import-'));
  try {
    for (const [rel, content] of Object.entries(files)) {
      mkdirSync(join(app, rel, '..'), { recursive: true });
      writeFileSync(join(app, rel), content);
    }
    const expected = await execa(node, ['main.cjs'], { cwd: app, reject: false });
    assert.equal(expected.stdout, 'from the package folder\nfrom the package folder\nfunction');
    const built = await execa(node24, [seabuildBin, 'build', '--no-image', '--node', node], { cwd: app, reject: false, all: true, env: { SOURCE_DATE_EPOCH: '1700000000' } });
    assert.equal(built.exitCode, 0, built.all);
    const empty = mkdtempSync(join(tmpdir(), 'seabuild-builtin-import-run-'));
    const ran = await execa(join(app, 'dist/builtin-import'), [], { cwd: empty, reject: false, env: { XDG_CACHE_HOME: join(empty, 'cache') } });
    await removeFixture(empty);
    assert.deepEqual({ stdout: ran.stdout, stderr: ran.stderr, exitCode: ran.exitCode }, { stdout: expected.stdout, stderr: '', exitCode: 0 });
  } finally {
    await removeFixture(app);
  }
});
