// A plain app's public/ (served by the app itself, express.static-style) is carried once, in the tree
// the app reads, not a second time as digested runtime assets that `./app assets` would list and the
// app would answer with 404 (issue 25, item 6).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { build } from '../src/build.ts';
import { httpRequest, startServer } from './helpers/http.ts';

test('a plain app with public/: its files embedded once, no digested assets', { timeout: 300_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'seabuild-plain-assets-'));
  try {
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'plain-static', version: '1.0.0', main: 'server.js' }));
    writeFileSync(join(dir, 'server.js'), [
      "const { createServer } = require('node:http');",
      "const { readFile } = require('node:fs/promises');",
      "const path = require('node:path');",
      "const root = path.join(__dirname, 'public');",
      "createServer(async (req, res) => {",
      "  try { res.end(await readFile(path.join(root, path.normalize(req.url)))); } catch { res.statusCode = 404; res.end('not found'); }",
      "}).listen(Number(process.env.PORT ?? 3000), '127.0.0.1', () => console.log('listening on', process.env.PORT));",
    ].join('\n'));
    mkdirSync(join(dir, 'public'));
    const big = randomBytes(1024 * 1024);
    writeFileSync(join(dir, 'public/big.bin'), big);
    const result = await build({ cwd: dir, image: false, env: { ...process.env, SOURCE_DATE_EPOCH: '1700000000' } });
    const executable = result.platforms[0]!.executable.path;
    assert.equal(result.platforms[0]!.embedded.assets, undefined);
    assert.deepEqual(result.warnings.filter((w) => w.code === 'ASSETS_NOT_SERVED'), [], 'the app reads its folder: nothing to say');
    const listed = await execa(executable, ['assets', '--json']);
    assert.deepEqual(JSON.parse(listed.stdout), []);
    // Random bytes do not compress: a copy of the file shows as its first 64 bytes, once.
    const bytes = readFileSync(executable);
    let copies = 0;
    for (let at = bytes.indexOf(big.subarray(0, 64)); at !== -1; at = bytes.indexOf(big.subarray(0, 64), at + 1)) copies++;
    assert.equal(copies, 1);
    const server = await startServer(executable, []);
    try {
      const answer = await httpRequest(server.port, '/big.bin');
      assert.equal(answer.status, 200);
      assert.ok(answer.body.equals(big));
    } finally {
      server.child.kill('SIGTERM');
      await server.exited;
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a plain app that never opens its public/ is told that nothing of it is embedded', { timeout: 300_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'seabuild-plain-unserved-'));
  try {
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'plain-unserved', version: '1.0.0', main: 'server.js' }));
    writeFileSync(join(dir, 'server.js'), "require('node:http').createServer((req, res) => res.end('hi')).listen(Number(process.env.PORT ?? 3000));\n");
    mkdirSync(join(dir, 'public'));
    writeFileSync(join(dir, 'public/site.css'), 'body { color: teal }\n');
    const result = await build({ cwd: dir, image: false, env: { ...process.env, SOURCE_DATE_EPOCH: '1700000000' } });
    const warning = result.warnings.find((w) => w.code === 'ASSETS_NOT_SERVED');
    assert.equal(warning?.file, join(dir, 'public'));
    assert.equal(result.platforms[0]!.embedded.assets, undefined);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
