import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tmpdir } from 'node:os';
import { extractionBase } from './extract.ts';

test('extractionBase: XDG_CACHE_HOME when absolute, else the temp folder os.tmpdir() would name', () => {
  const uid = process.getuid!();
  assert.equal(extractionBase({ XDG_CACHE_HOME: '/home/app/.cache' }), '/home/app/.cache/seabuild');
  assert.equal(extractionBase({ XDG_CACHE_HOME: 'relative', TMPDIR: '/var/tmp/' }), `/var/tmp/seabuild-${uid}`);
  assert.equal(extractionBase({ TMP: '/scratch' }), `/scratch/seabuild-${uid}`);
  assert.equal(extractionBase({}), `/tmp/seabuild-${uid}`);
  // The same folder as os.tmpdir() for this process's own environment.
  const { XDG_CACHE_HOME: _, ...env } = process.env;
  assert.equal(extractionBase(env), `${tmpdir()}/seabuild-${uid}`);
});
