import assert from 'node:assert/strict';
import { test } from 'node:test';
import { normalizeReference } from './image-reference.ts';

const normalized: Array<[string, string]> = [
  ['web', 'docker.io/library/web:latest'],
  ['kitteh/web:0.1.0', 'docker.io/kitteh/web:0.1.0'],
  ['docker.io/kitteh/web:0.1.0', 'docker.io/kitteh/web:0.1.0'],
  ['localhost/web:1', 'localhost/web:1'],
  ['localhost:5000/kitteh/web', 'localhost:5000/kitteh/web:latest'],
  ['ghcr.io/a/b/c:v1.2.3-rc.1', 'ghcr.io/a/b/c:v1.2.3-rc.1'],
  ['my-org/web_app__x:1', 'docker.io/my-org/web_app__x:1'],
];
for (const [input, expected] of normalized) {
  test(`normalizeReference(${input}) = ${expected}`, () => assert.equal(normalizeReference(input), expected));
}

for (const bad of ['', 'Kitteh/Web:1', 'web:', 'web@sha256:abc', 'a//b', 'web:-bad', '-web', 'web:' + 'x'.repeat(129)]) {
  test(`normalizeReference(${JSON.stringify(bad.slice(0, 20))}) fails with IMAGE_REFERENCE_INVALID`, () => {
    assert.throws(() => normalizeReference(bad), { code: 'IMAGE_REFERENCE_INVALID' });
  });
}
