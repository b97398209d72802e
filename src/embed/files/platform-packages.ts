// The target platform's npm packages, installed by npm itself for that platform: the planned
// packages (exact versions from the app's lockfile) become the optional dependencies of a scratch
// package installed with `--os=linux --cpu=<target> --libc=glibc`, npm's own switches for choosing
// optional dependencies for another machine (a package named on npm's command line is checked
// against this machine instead, and refused). Install scripts do not run: they would run for this
// machine. The result is cached by platform and packages, so later builds need no network; each
// installed package's version and integrity are checked against the lockfile's.
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { isAbsolute, join, relative } from 'node:path';
import { sha256Hex } from '../../sha256.ts';
import { execa } from 'execa';
import { SeabuildError } from '../../errors.ts';
import type { Logger } from '../../log.ts';
import type { TargetPlatform } from '../../platform/platforms.ts';
import type { PlatformPlan } from './platform-plan.ts';

/** The installed packages of a plan: `dir` is a node_modules folder holding each at `dir/<name>`. */
export interface PlatformPackages {
  dir: string;
  packages: Array<{ name: string; version: string }>;
  /** False when this build installed them. */
  cached: boolean;
}

/** Installs `plan.packages` for `platform` into `<cacheDir>/platform-packages` (once per platform and package set). */
export async function installPlatformPackages(plan: PlatformPlan, platform: TargetPlatform, cacheDir: string, root: string, logger: Logger): Promise<PlatformPackages | undefined> {
  if (plan.packages.length === 0) return undefined;
  const rel = relative(root, cacheDir);
  // Tree paths come from the path after the first node_modules (src/bundle/tree-paths.ts): a cache inside the app would name them by their cache path.
  if (rel === '' || (!rel.startsWith('..') && !isAbsolute(rel))) {
    throw new SeabuildError({ code: 'CACHE_INSIDE_APP', message: `the cache folder ${cacheDir} is inside the app folder, where ${platform.name} packages cannot be laid out as the app's own`, file: cacheDir, fix: 'set SEABUILD_CACHE_DIR to a folder outside the app (default: ~/.cache/seabuild)' });
  }
  const key = sha256Hex(plan.packages.map((p) => `${p.name}@${p.version} ${p.integrity ?? ''}`).join('\n')).slice(0, 16);
  const base = join(cacheDir, 'platform-packages');
  const target = join(base, `${platform.suffix}-${key}`);
  const modules = join(target, 'node_modules');
  const packages = plan.packages.map((p) => ({ name: p.name, version: p.version }));
  if (existsSync(join(target, 'seabuild.json'))) return { dir: modules, packages, cached: true };
  logger.info(`installing ${platform.name} packages with npm: ${plan.packages.map((p) => `${p.name}@${p.version}`).join(', ')}`);
  await mkdir(base, { recursive: true });
  const temp = await mkdtemp(join(base, '.install-'));
  try {
    const optionalDependencies = Object.fromEntries(plan.packages.map((p) => [p.name, p.version]));
    await writeFile(join(temp, 'package.json'), `${JSON.stringify({ name: 'seabuild-platform-packages', private: true, optionalDependencies }, null, 2)}\n`);
    const args = ['install', '--no-package-lock', '--ignore-scripts', '--no-audit', '--no-fund', '--omit=dev', '--os=linux', `--cpu=${platform.npmCpu}`, '--libc=glibc'];
    const result = await execa('npm', args, { cwd: temp, reject: false, all: true });
    if (result.exitCode !== 0) throw installFailed(plan, platform, result.all ?? result.shortMessage, result);
    checkInstalled(plan, platform, join(temp, 'node_modules'));
    await writeFile(join(temp, 'seabuild.json'), `${JSON.stringify({ platform: platform.name, packages: plan.packages }, null, 2)}\n`);
    await rm(target, { recursive: true, force: true });
    await rename(temp, target);
    return { dir: modules, packages, cached: false };
  } finally {
    await rm(temp, { recursive: true, force: true });
  }
}

/** npm skips an optional dependency it cannot install (wrong platform, or a failed fetch) without failing: check each. */
function checkInstalled(plan: PlatformPlan, platform: TargetPlatform, modules: string): void {
  let hidden: { packages?: Record<string, { version?: string; integrity?: string }> } = {};
  try {
    hidden = JSON.parse(readFileSync(join(modules, '.package-lock.json'), 'utf8'));
  } catch { /* npm writes it with every install; its absence shows as a missing package below */ }
  for (const p of plan.packages) {
    const installed = hidden.packages?.[`node_modules/${p.name}`];
    if (!installed || !existsSync(join(modules, p.name, 'package.json'))) {
      throw new SeabuildError({
        code: 'ADDON_NO_TARGET_BUILD',
        message: `npm did not install ${p.name}@${p.version} for ${platform.name} (needed by ${p.parent}): it is not published for ${platform.npmCpu} glibc, or it could not be downloaded`,
        ...(plan.lockfile ? { file: plan.lockfile } : {}),
        fix: `check that ${p.name}@${p.version} exists (npm view ${p.name}@${p.version} cpu os), or leave ${platform.name} out of platforms`,
      });
    }
    if (installed.version !== p.version || (p.integrity && installed.integrity && installed.integrity !== p.integrity)) {
      throw new SeabuildError({
        code: 'PLATFORM_PACKAGE_MISMATCH',
        message: `npm installed ${p.name}@${installed.version} (${installed.integrity ?? 'no integrity'}) for ${platform.name}, but the lockfile pins ${p.version} (${p.integrity ?? 'no integrity'})`,
        ...(plan.lockfile ? { file: plan.lockfile } : {}),
        fix: 'check the registry npm uses (npm config get registry), or regenerate the lockfile with npm install',
      });
    }
  }
}

function installFailed(plan: PlatformPlan, platform: TargetPlatform, output: string, cause: unknown): SeabuildError {
  const line = output.split('\n').find((l) => /npm (error|ERR!)/.test(l) && !/A complete log/.test(l)) ?? output.split('\n')[0] ?? '';
  const offline = /ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ETIMEDOUT|network/i.test(output);
  return new SeabuildError({
    code: 'PLATFORM_PACKAGES_FAILED',
    message: `npm could not install the ${platform.name} packages ${plan.packages.map((p) => `${p.name}@${p.version}`).join(', ')}: ${line.trim()}`,
    ...(plan.lockfile ? { file: plan.lockfile } : {}),
    fix: offline
      ? `the first ${platform.name} build downloads these packages once (later builds use the cache); allow access to the npm registry`
      : 'see npm\'s output with --debug; or leave the platform out of platforms',
    cause,
  });
}
