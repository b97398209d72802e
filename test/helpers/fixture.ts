// Test fixtures are copied to a temp folder, so the checkout stays untouched (a test may change its copy),
// with node_modules/seabuild linked to this checkout, as `npm i -D seabuild` would install it.
import { cp, mkdir, mkdtemp, symlink, rm } from 'node:fs/promises';
import { existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { execFileSync } from 'node:child_process';

export const repoRoot = resolve(import.meta.dirname, '../..');
export const node24 = join(repoRoot, 'node_modules/node/bin/node');
export const seabuildBin = join(repoRoot, 'bin/seabuild.js');

/** Copies `test/fixtures/<name>` to a fresh temp folder and returns its path. */
export async function copyFixture(name: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), `seabuild-${name.replaceAll("/", "-")}-`));
  await cp(join(repoRoot, 'test/fixtures', name), dir, { recursive: true, filter: (src) => !src.includes('/node_modules') && !src.includes('/dist') });
  await mkdir(join(dir, 'node_modules'), { recursive: true });
  await symlink(repoRoot, join(dir, 'node_modules/seabuild'));
  const pkg = existsSync(join(dir, 'package.json')) ? JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) : {};
  if (Object.keys(pkg.dependencies ?? {}).length > 0) {
    execFileSync('npm', [existsSync(join(dir, 'package-lock.json')) ? 'ci' : 'install', '--no-audit', '--no-fund', '--ignore-scripts=false'], { cwd: dir, stdio: 'pipe' });
    if (!existsSync(join(dir, 'node_modules/seabuild'))) await symlink(repoRoot, join(dir, 'node_modules/seabuild'));
  }
  return dir;
}

/** Removes a copied fixture. */
export async function removeFixture(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}
