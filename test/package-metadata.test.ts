// The README's relative links (docs/API.md, …) must work where the README is read from the package:
// node_modules/seabuild, unpkg and the tarball. The project has no public repository URL yet, so
// npm's site cannot resolve them through package.json `repository`; the linked files ship instead.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './helpers/fixture.ts';

test('every relative link of the README names a file; the docs it links to ship in the package', () => {
  const manifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8'));
  const shipped: string[] = manifest.files;
  const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
  const links = [...readme.matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/g)].map((m) => m[1]!).filter((link) => !/^[a-z]+:/.test(link));
  assert.ok(links.some((link) => link.startsWith('docs/')));
  for (const link of links) {
    assert.ok(existsSync(join(repoRoot, link)), `README links to ${link}, which does not exist`);
    // The documentation ships; links into the repository's examples and tests stay repository links.
    if (link.startsWith('docs/')) assert.ok(shipped.some((entry) => link === entry || link.startsWith(`${entry}/`)), `README links to ${link}, which the package does not ship`);
  }
});
