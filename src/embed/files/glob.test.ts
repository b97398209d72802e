import { test } from 'node:test';
import assert from 'node:assert/strict';
import { globMatcher } from './glob.ts';

test('globs: *, **, ?, and a folder name matching what is below it', () => {
  const cases: Array<[string[], string, boolean]> = [
    [['fonts/*.flf'], 'fonts/Standard.flf', true],
    [['fonts/*.flf'], 'fonts/sub/Standard.flf', false],
    [['**/*.json'], 'locales/fr.json', true],
    [['**/*.json'], 'fr.json', true],
    [['lib/?.js'], 'lib/a.js', true],
    [['lib/?.js'], 'lib/ab.js', false],
    [['dist'], 'dist/pglite.wasm', true],
    [['./dist/'], 'dist/a/b.data', true],
    [['dist'], 'distribution/x', false],
    [['a.b'], 'aXb', false],
  ];
  for (const [patterns, path, expected] of cases) assert.equal(globMatcher(patterns)(path), expected, `${patterns} ~ ${path}`);
});
