// isEsModule: the one rule (Node's package scope) that run-entry.ts and the import() helper share.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isEsModule } from './modules.ts';

test('isEsModule: .mjs, or .js under the nearest package.json with "type": "module"; a node_modules folder ends the search, as in Node', () => {
  const root = mkdtempSync(join(tmpdir(), 'seabuild-esm-rule-'));
  const write = (rel: string, text: string): string => {
    mkdirSync(join(root, rel, '..'), { recursive: true });
    writeFileSync(join(root, rel), text);
    return join(root, rel);
  };
  try {
    write('package.json', '{"type":"module"}');
    assert.equal(isEsModule(write('src/main.js', '')), true, 'the app\'s scope');
    assert.equal(isEsModule(write('src/main.cjs', '')), false);
    assert.equal(isEsModule(write('src/tool.mjs', '')), true);
    assert.equal(isEsModule(write('src/data.json', '{}')), false);
    write('cjs/package.json', '{"name":"inner"}');
    assert.equal(isEsModule(write('cjs/index.js', '')), false, 'the nearest package.json decides, without "type" it is CommonJS');
    // A package without a package.json of its own: its scope is not the app's, and node_modules/package.json is no scope.
    write('node_modules/package.json', '{"type":"module"}');
    assert.equal(isEsModule(write('node_modules/bare/index.js', '')), false);
    write('node_modules/esm/package.json', '{"type":"module"}');
    assert.equal(isEsModule(write('node_modules/esm/lib/index.js', '')), true);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
