// A command-line tool from npm that a test drives as a user would, installed once into
// ~/.cache/seabuild/tools at a pinned version (not a devDependency: @cdxgen/cdxgen 12.8.4 names
// optional platform packages that the registry here does not serve, so `npm ci` of a lockfile that
// holds it fails, while `npm install` of the tool alone skips them).
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';

/** The path of `bin` from the npm package `spec` (name@version), installing it on first use. */
export async function npmTool(spec: string, bin: string): Promise<string> {
  const dir = join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'seabuild/tools', spec.replace(/[@/]/g, '_'));
  const path = join(dir, 'node_modules/.bin', bin);
  if (existsSync(path)) return path;
  await mkdir(dir, { recursive: true });
  await execa('npm', ['install', '--no-audit', '--no-fund', '--no-save', '--prefix', dir, spec], { cwd: dir });
  return path;
}
