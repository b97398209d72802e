// Which npm packages another platform needs in place of the build machine's. npm installs only the
// optional dependencies that match the installing machine (`os`, `cpu`, `libc` in their
// package.json): sharp's node_modules here hold @img/sharp-linux-x64, never @img/sharp-linux-arm64.
// The app's lockfile lists every platform's entries with their exact version and integrity, so for
// each platform package the build machine's tree carries, its parent's optional dependencies for the
// target are looked up there (npm's own resolution: the nearest node_modules upwards of the parent).
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { SeabuildError } from '../../errors.ts';
import { packageDirOf } from '../../bundle/tree-paths.ts';
import type { TargetPlatform } from '../../platform/platforms.ts';
import type { PackageFiles } from './types.ts';

/** The fields of a package.json (or a lockfile entry) npm matches against a platform. */
export interface PlatformFields { os?: string[]; cpu?: string[]; libc?: string[] }

/** One package to install for the target, as the lockfile pins it. */
export interface PlannedPackage { name: string; version: string; integrity?: string; /** The package that depends on it (lockfile key). */ parent: string }

/** What the target needs instead of the build machine's platform packages. */
export interface PlatformPlan {
  lockfile?: string;
  packages: PlannedPackage[];
}

interface LockEntry extends PlatformFields { version?: string; integrity?: string; optional?: boolean; link?: boolean; dependencies?: Record<string, string>; optionalDependencies?: Record<string, string> }

/** True when the package declares a platform (npm installs it only on a matching machine). */
export function isPlatformSpecific(fields: PlatformFields): boolean {
  return Boolean(fields.os?.length || fields.cpu?.length || fields.libc?.length);
}

/** npm's rule (`os`, `cpu`, `libc`: allowed values, or `!value` to exclude) for a glibc Linux `platform`. */
export function runsOn(fields: PlatformFields, platform: TargetPlatform): boolean {
  const allows = (list: string[] | undefined, value: string): boolean => {
    if (!list || list.length === 0) return true;
    if (list.includes(`!${value}`)) return false;
    const positive = list.filter((v) => !v.startsWith('!'));
    return positive.length === 0 || positive.includes(value);
  };
  // The official node binary (and so every seabuild executable) links against glibc.
  return allows(fields.os, 'linux') && allows(fields.cpu, platform.npmCpu) && allows(fields.libc, 'glibc');
}

/** The platform fields of the installed package in `dir` ({} when unreadable). */
export function platformFieldsOf(dir: string): PlatformFields {
  try {
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    return { os: pkg.os, cpu: pkg.cpu, libc: pkg.libc };
  } catch {
    return {};
  }
}

/**
 * The target's counterparts of every platform package in `hostFiles` (the tree collected for the
 * build machine), from the lockfile of `root`. Fails naming the package when the lockfile has none.
 */
export function planPlatformPackages(root: string, hostFiles: PackageFiles, platform: TargetPlatform): PlatformPlan {
  const hostPackages = [...new Set(hostFiles.files.filter((f) => f.sourcePath.includes(`${sep}node_modules${sep}`)).map((f) => packageDirOf(f.sourcePath, root)))]
    .filter((dir) => { const fields = platformFieldsOf(dir); return isPlatformSpecific(fields) && !runsOn(fields, platform); })
    .sort();
  if (hostPackages.length === 0) return { packages: [] };
  const lock = readLockfile(root);
  const planned = new Map<string, PlannedPackage>();
  for (const hostDir of hostPackages) {
    const hostName = packageNameOf(hostDir);
    if (!lock) throw noCounterpart(hostName, hostDir, undefined, platform, 'the app has no package-lock.json or npm-shrinkwrap.json to find it in');
    const key = relative(lock.dir, hostDir).split(sep).join('/');
    const parents = Object.entries(lock.packages).filter(([parentKey, entry]) => parentKey !== key && (entry.optionalDependencies?.[hostName] || entry.dependencies?.[hostName]) && resolveKey(lock.packages, parentKey, hostName) === key);
    // Platform packages are named by their platform (@img/sharp-linux-x64, @esbuild/linux-x64,
    // @rollup/rollup-linux-x64-gnu): the counterpart is the same name with the target's cpu. Without
    // such a name, every optional dependency of the parent for the target is taken.
    const twin = counterpartName(hostName, platformFieldsOf(hostDir), platform);
    const found: string[] = [];
    for (const [parentKey, parent] of parents) {
      const names = Object.keys(parent.optionalDependencies ?? {}).filter((name) => twin === undefined || name === twin);
      for (const name of names) {
        for (const [depKey, entry] of closureOf(lock.packages, resolveKey(lock.packages, parentKey, name), platform)) {
          const depName = nameOfKey(depKey);
          const existing = planned.get(depName);
          if (existing && existing.version !== entry.version) {
            throw new SeabuildError({ code: 'ADDON_PLATFORM_CONFLICT', message: `the ${platform.name} build needs ${depName} at ${existing.version} (for ${existing.parent}) and at ${entry.version} (for ${parentKey}); seabuild lays out one version per platform package`, file: lock.path, fix: `make both depend on one version of ${depName} (npm dedupe), then rebuild` });
          }
          planned.set(depName, { name: depName, version: entry.version!, ...(entry.integrity ? { integrity: entry.integrity } : {}), parent: nameOfKey(parentKey) || 'the app' });
          found.push(depName);
        }
      }
    }
    if (found.length === 0) {
      const parentName = parents[0] ? nameOfKey(parents[0][0]) || 'the app' : undefined;
      const missing = twin ? `no entry for ${twin}` : `no optional dependency of ${parentName} for ${platform.npmCpu} glibc`;
      throw noCounterpart(hostName, hostDir, parentName, platform, parentName ? `the lockfile has ${missing}` : `no package in ${lock.path} depends on ${hostName}`, lock.path);
    }
  }
  return { lockfile: lock!.path, packages: [...planned.values()].sort((a, b) => (a.name < b.name ? -1 : 1)) };
}

function noCounterpart(hostName: string, hostDir: string, parentName: string | undefined, platform: TargetPlatform, why: string, file?: string): SeabuildError {
  return new SeabuildError({
    code: 'ADDON_NO_TARGET_BUILD',
    message: `${parentName ? `package ${parentName} has no ${platform.name} build: its` : 'the'} platform package ${hostName} is for the build machine only, and ${why}`,
    file: file ?? join(hostDir, 'package.json'),
    fix: parentName
      ? `update ${parentName} to a version that publishes a ${platform.name} package (then npm install, which records it in package-lock.json), or leave ${platform.name} out of platforms`
      : `run npm install so that package-lock.json lists every platform's optional dependencies, or leave ${platform.name} out of platforms`,
  });
}

/** `hostName` with its cpu word (`x64` in `@img/sharp-linux-x64`) replaced by the target's; undefined when the name has none. */
function counterpartName(hostName: string, fields: PlatformFields, platform: TargetPlatform): string | undefined {
  const hostCpu = fields.cpu?.find((cpu) => !cpu.startsWith('!'));
  if (!hostCpu) return undefined;
  const word = new RegExp(`(^|[-/@])${hostCpu}(?=$|[-/])`);
  return word.test(hostName) ? hostName.replace(word, `$1${platform.npmCpu}`) : undefined;
}

/** The entry at `key` if it runs on `platform`, with the optional dependencies it pulls in (libvips for sharp's addon). */
function closureOf(packages: Record<string, LockEntry>, key: string | undefined, platform: TargetPlatform, seen = new Set<string>()): Array<[string, LockEntry]> {
  if (key === undefined || seen.has(key)) return [];
  const entry = packages[key];
  if (!entry || !entry.version || !isPlatformSpecific(entry) || !runsOn(entry, platform)) return [];
  seen.add(key);
  const deps = Object.keys({ ...entry.dependencies, ...entry.optionalDependencies });
  return [[key, entry], ...deps.flatMap((name) => closureOf(packages, resolveKey(packages, key, name), platform, seen))];
}

/** The lockfile key `name` resolves to from the package at `fromKey`, as Node and npm look: nested first, then upwards. */
function resolveKey(packages: Record<string, LockEntry>, fromKey: string, name: string): string | undefined {
  for (let base = fromKey; ; ) {
    const candidate = base === '' ? `node_modules/${name}` : `${base}/node_modules/${name}`;
    if (packages[candidate]) return candidate;
    if (base === '') return undefined;
    const at = base.lastIndexOf('/node_modules/');
    base = at < 0 ? '' : base.slice(0, at);
  }
}

function nameOfKey(key: string): string {
  const at = key.lastIndexOf('node_modules/');
  return at < 0 ? '' : key.slice(at + 'node_modules/'.length);
}

function packageNameOf(dir: string): string {
  try {
    return JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).name;
  } catch {
    return nameOfKey(dir.split(sep).join('/'));
  }
}

/** The nearest npm lockfile at or above `root` (a workspace's is at its top), with its `packages`. */
function readLockfile(root: string): { path: string; dir: string; packages: Record<string, LockEntry> } | undefined {
  for (let dir = root; ; dir = dirname(dir)) {
    for (const file of ['npm-shrinkwrap.json', 'package-lock.json']) {
      const path = join(dir, file);
      if (!existsSync(path)) continue;
      let parsed: { packages?: Record<string, LockEntry> };
      try {
        parsed = JSON.parse(readFileSync(path, 'utf8'));
      } catch (cause) {
        throw new SeabuildError({ code: 'LOCKFILE_INVALID', message: `${file} is not valid JSON: ${(cause as Error).message}`, file: path, fix: 'restore it (git checkout) or regenerate it with npm install', cause });
      }
      if (!parsed.packages) throw new SeabuildError({ code: 'LOCKFILE_INVALID', message: `${file} has no "packages" (lockfileVersion 1, from npm 6 or older)`, file: path, fix: 'regenerate it with a current npm: npm install --package-lock-only' });
      return { path, dir, packages: parsed.packages };
    }
    if (dirname(dir) === dir) return undefined;
  }
}

/**
 * Every package whose native files the build machine's tree carries must carry some for the target
 * too: a package with prebuilds/ for other platforms only, or an addon compiled here (better-sqlite3,
 * built from source by npm install), has none for another machine, and seabuild does not cross-compile.
 */
export function checkTargetAddons(root: string, hostFiles: PackageFiles, targetFiles: PackageFiles, platform: TargetPlatform): void {
  const native = (f: PackageFiles['files'][number]): boolean => f.kind === 'addon' || f.kind === 'library' || f.kind === 'executable';
  const carried = new Set(targetFiles.files.filter(native).map((f) => f.package ?? ''));
  for (const file of hostFiles.files.filter((f) => f.kind === 'addon')) {
    const dir = packageDirOf(file.sourcePath, root);
    // A platform package is replaced by its counterpart (planPlatformPackages), not expected under its own name.
    if (isPlatformSpecific(platformFieldsOf(dir)) || carried.has(file.package ?? '')) continue;
    const name = file.package ?? 'the app';
    throw new SeabuildError({
      code: 'ADDON_NO_TARGET_BUILD',
      message: `${file.package ? `package ${name}` : 'the app'} has no ${platform.name} build of its native addon: ${file.treePath} is for this machine, and the package ships no prebuilt for ${platform.npmCpu} glibc (prebuilds/linux-${platform.npmCpu}/); seabuild does not cross-compile addons`,
      file: file.sourcePath,
      fix: `install a ${platform.name} build of ${name} (a version with prebuilds for linux-${platform.npmCpu}, or npm rebuild on a ${platform.name} machine), or leave ${platform.name} out of platforms`,
    });
  }
}
