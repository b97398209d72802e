// The README's relative links (docs/API.md, …) work on npm only through package.json `repository`
// (npm resolves them against it) and `homepage`: both must be there, and every link must name a file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './helpers/fixture.ts';

test('package.json names its repository and homepage; the README\'s relative links name files of it', () => {
  const manifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8'));
  assert.match(manifest.repository?.url ?? '', /^git\+https:\/\/.+\.git$/);
  assert.match(manifest.homepage ?? '', /^https:\/\//);
  const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
  const links = [...readme.matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/g)].map((m) => m[1]!).filter((link) => !/^[a-z]+:/.test(link));
  assert.ok(links.some((link) => link.startsWith('docs/')));
  for (const link of links) assert.ok(existsSync(join(repoRoot, link)), `README links to ${link}, which does not exist`);
});
