import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { traceFiles } from './index.ts';
import { untracedListing } from './listing.ts';
import { withApp } from '../../test/helpers/temp-app.ts';

test('traceFiles: modules loaded by a relative path out of a closed output, or out of the app, are named; packages are not', async () => {
  await withApp({
    'package.json': '{"name":"web"}',
    'src/helper.js': 'module.exports = 1;\n',
    'node_modules/outside/index.js': 'module.exports = 2;\n',
    'node_modules/outside/package.json': '{"name":"outside"}',
    'out/server.js': "require('../src/helper.js');\ntry { require('outside'); } catch {}\ntry { require('../../gone.js'); } catch {}\nrequire('./chunk.js');\n",
    'out/chunk.js': 'module.exports = 3;\n',
    'out/node_modules/inside/package.json': '{"name":"inside"}',
  }, async (root) => {
    const traced = await traceFiles({ root, entry: join(root, 'out/server.js'), outputDir: join(root, 'out') });
    assert.deepEqual(traced.outside, [
      { path: join(root, '..', 'gone.js'), from: join(root, 'out/server.js') },
      { path: join(root, 'src/helper.js'), from: join(root, 'out/server.js') },
    ]);
  });
});

test('untracedListing: the first ten by name, then how many more', () => {
  assert.deepEqual(untracedListing([]), []);
  assert.deepEqual(untracedListing(['out/a.txt']), ['1 file of the build output no import names (chunks and static files its framework opens by computed paths) are carried:', '  out/a.txt']);
  const many = untracedListing(Array.from({ length: 13 }, (_, i) => `out/${i}.txt`));
  assert.equal(many.length, 12);
  assert.equal(many.at(-1), '  and 3 more (--debug lists them)');
});
