// The issue-10 corpus (test/corpus): each app copied to a temp folder, installed with `npm ci` from
// its lockfile, and built with the seabuild CLI as a user would. Installs and builds are memoised
// per app and queued (two at a time: the machine has two cores), so the tests of an app wait only
// for their own build.
import { existsSync, readFileSync } from 'node:fs';
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import assert from 'node:assert/strict';
import { execa } from 'execa';
import { node24, repoRoot, seabuildBin } from './fixture.ts';

export const corpusRoot = join(repoRoot, 'test/corpus');

/** The words the executable of a service answers itself (README "Any app, unchanged"). */
export const builtInCommands = new Set(['serve', 'version', 'help', 'assets', 'migrate', 'healthcheck', 'selftest']);

/** The executable's arguments for `node ENTRY ARGS`: a built-in first word needs `serve` in front. */
export function executableArgs(args: string[]): string[] {
  return args.length > 0 && builtInCommands.has(args[0]!) ? ['serve', ...args] : args;
}

/** A semaphore: at most `slots` of the given jobs run at once. */
export function limit(slots: number): <T>(job: () => Promise<T>) => Promise<T> {
  let running = 0;
  const waiting: Array<() => void> = [];
  return async (job) => {
    if (running >= slots) await new Promise<void>((resolve) => waiting.push(resolve));
    running++;
    try {
      return await job();
    } finally {
      running--;
      waiting.shift()?.();
    }
  };
}

const installSlot = limit(3);
const buildSlot = limit(2);

/** One app of the corpus, installed in a temp folder. */
export interface CorpusApp {
  dir: string;
  /** package.json name (the executable's and image's name). */
  name: string;
  version: string;
}

/** Copies test/corpus/<folder> to a temp folder and runs `npm ci` there (lockfile exact). */
export function installApp(folder: string): Promise<CorpusApp> {
  return installSlot(async () => {
    const dir = await mkdtemp(join(tmpdir(), `seabuild-corpus-${folder}-`));
    await cp(join(corpusRoot, folder), dir, { recursive: true, filter: (src) => !/\/(node_modules|dist)(\/|$)/.test(src) });
    const installed = await execa('npm', ['ci', '--no-audit', '--no-fund'], { cwd: dir, reject: false, all: true });
    if (installed.exitCode !== 0) throw new Error(`npm ci in ${folder} failed:\n${installed.all}`);
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    return { dir, name: pkg.name, version: pkg.version };
  });
}

/** What `seabuild build` did for an app. */
export interface CorpusBuild {
  exitCode: number | undefined;
  output: string;
  executable: string;
  archive: string;
}

/** Fails the test with the build's output when `seabuild build` did not succeed. */
export function assertBuilt(build: CorpusBuild): void {
  assert.equal(build.exitCode, 0, `seabuild build failed:\n${build.output}`);
}

/** `node bin/seabuild.js build --entry ENTRY [EXTRA]` in the app folder; `outDir` relative to it, or absolute. */
export function buildApp(app: CorpusApp, entry: string, extra: string[] = [], outDir = 'dist'): Promise<CorpusBuild> {
  return buildSlot(async () => {
    const built = await execa(node24, [seabuildBin, 'build', '--entry', entry, '--out-dir', outDir, ...extra], {
      cwd: app.dir, reject: false, all: true, timeout: 300_000, env: { SOURCE_DATE_EPOCH: '1700000000' },
    });
    return {
      exitCode: built.exitCode,
      output: built.all ?? '',
      executable: resolve(app.dir, outDir, app.name),
      archive: resolve(app.dir, outDir, `${app.name}.image.tar`),
    };
  });
}

/** Writes the `seabuild` key into the temp copy's package.json (the committed corpus stays unconfigured). */
export async function configureApp(app: CorpusApp, seabuild: Record<string, unknown>): Promise<void> {
  const path = join(app.dir, 'package.json');
  const pkg = JSON.parse(readFileSync(path, 'utf8'));
  await writeFile(path, `${JSON.stringify({ ...pkg, seabuild }, null, 2)}\n`);
}

/** Removes a temp app folder. */
export async function removeApp(app: CorpusApp | undefined): Promise<void> {
  if (app && existsSync(app.dir)) await rm(app.dir, { recursive: true, force: true });
}
