// A sysroot of Debian's packages for another architecture: the target's C library, libstdc++ and
// libgcc (what the official node binary needs), with their dependencies, taken from the machine's
// configured apt sources (`dpkg --add-architecture arm64 && apt-get update` makes them visible) and
// unpacked with dpkg-deb, never installed. A dpkg database (status + info/*.list) is written beside
// the files, so the size report names each library's package and version as it does on the host.
// Cached by the exact package versions: a rebuild with the same apt lists needs no network.
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { sha256Hex } from '../sha256.ts';
import { execa } from 'execa';
import { SeabuildError } from '../errors.ts';
import type { Logger } from '../log.ts';
import type { TargetPlatform } from './platforms.ts';

/** What the official node binary links against (readelf -d: libstdc++, libm, libgcc_s, libc …). */
export const NODE_RUNTIME_PACKAGES = ['libc6', 'libstdc++6', 'libgcc-s1'];

/** An unpacked sysroot. */
export interface Sysroot {
  dir: string;
  /** The dpkg database written for it (status, info/*.list). */
  dpkgDir: string;
  packages: Array<{ name: string; version: string; architecture: string }>;
  /** False when this build downloaded and unpacked it. */
  cached: boolean;
}

/** The sysroot of `platform` with `packages` and their dependencies, from the cache or apt. */
export async function prepareSysroot(platform: TargetPlatform, cacheDir: string, logger: Logger, packages: readonly string[] = NODE_RUNTIME_PACKAGES): Promise<Sysroot> {
  const arch = platform.debianArch;
  const wanted = await dependencyClosure(packages.map((name) => `${name}:${arch}`), platform);
  const resolved = await Promise.all(wanted.map((name) => candidateOf(name, platform)));
  const key = sha256Hex(resolved.map((p) => `${p.name}:${p.architecture}=${p.version}`).sort().join('\n')).slice(0, 16);
  const dir = join(cacheDir, 'sysroots', `debian-${arch}-${key}`);
  const result = { dir, dpkgDir: join(dir, 'var/lib/dpkg'), packages: resolved };
  if (existsSync(join(result.dpkgDir, 'status'))) return { ...result, cached: true };
  logger.info(`preparing the ${platform.name} sysroot from Debian packages: ${resolved.map((p) => `${p.name} ${p.version}`).join(', ')}`);
  await mkdir(join(cacheDir, 'sysroots'), { recursive: true });
  const temp = await mkdtemp(join(cacheDir, 'sysroots', '.prepare-'));
  try {
    const debs = join(temp, '.debs');
    await mkdir(debs);
    // apt-get download checks each file against the signed Release/Packages hashes.
    await tool('apt-get', ['download', '-q', ...resolved.map((p) => `${p.name}:${p.architecture}=${p.version}`)], platform, debs);
    const root = join(temp, 'root');
    await mkdir(join(root, 'var/lib/dpkg/info'), { recursive: true });
    const status: string[] = [];
    for (const file of (await readdir(debs)).filter((f) => f.endsWith('.deb')).sort()) {
      const deb = join(debs, file);
      await tool('dpkg-deb', ['-x', deb, root], platform);
      const fields = await tool('dpkg-deb', ['-f', deb, 'Package', 'Version', 'Architecture', 'Multi-Arch'], platform);
      const field = (name: string): string => new RegExp(`^${name}: (.*)$`, 'm').exec(fields.stdout)?.[1]?.trim() ?? '';
      const listing = await tool('sh', ['-c', 'dpkg-deb --fsys-tarfile "$1" | tar -t', 'sh', deb], platform);
      const paths = listing.stdout.split('\n').map((line) => line.replace(/^\.\/?/, '/').replace(/(.)\/$/, '$1')).filter((path) => path !== '' && path !== '/');
      const listName = field('Multi-Arch') === 'same' ? `${field('Package')}:${field('Architecture')}` : field('Package');
      await writeFile(join(root, 'var/lib/dpkg/info', `${listName}.list`), `/.\n${paths.join('\n')}\n`);
      status.push(`Package: ${field('Package')}\nStatus: install ok installed\nArchitecture: ${field('Architecture')}\nVersion: ${field('Version')}\n`);
    }
    await writeFile(join(root, 'var/lib/dpkg/status'), `${status.join('\n')}`);
    await rm(dir, { recursive: true, force: true });
    await rename(root, dir);
    return { ...result, cached: false };
  } finally {
    await rm(temp, { recursive: true, force: true });
  }
}

/** The packages and everything they depend on (Depends and Pre-Depends), by apt's own resolver. */
async function dependencyClosure(names: string[], platform: TargetPlatform): Promise<string[]> {
  const result = await tool('apt-cache', ['depends', '--recurse', '--no-recommends', '--no-suggests', '--no-conflicts', '--no-breaks', '--no-replaces', '--no-enhances', ...names], platform);
  const found = new Set<string>();
  for (const line of result.stdout.split('\n')) {
    // Top-level lines are package names; `<name>` is a virtual package, which some real one provides.
    if (/^[a-z0-9]/.test(line) && line.endsWith(`:${platform.debianArch}`)) found.add(line.trim());
  }
  return [...found].sort();
}

async function candidateOf(qualified: string, platform: TargetPlatform): Promise<{ name: string; version: string; architecture: string }> {
  const shown = await tool('apt-cache', ['show', '--no-all-versions', qualified], platform);
  const field = (name: string): string | undefined => new RegExp(`^${name}: (.*)$`, 'm').exec(shown.stdout)?.[1]?.trim();
  return { name: field('Package') ?? qualified.split(':')[0]!, version: field('Version') ?? '', architecture: field('Architecture') ?? platform.debianArch };
}

async function tool(file: string, args: string[], platform: TargetPlatform, cwd?: string): Promise<{ stdout: string }> {
  const result = await execa(file, args, { reject: false, all: true, ...(cwd ? { cwd } : {}), env: { LC_ALL: 'C' } });
  if (result.exitCode === 0) return { stdout: String(result.stdout) };
  const output = (result.all ?? '').trim();
  const missingTool = (result as { code?: string }).code === 'ENOENT';
  const noArch = /No packages found|Unable to locate package|has no installation candidate|Can't select/.test(output);
  throw new SeabuildError({
    code: missingTool ? 'SYSROOT_NO_APT' : noArch ? 'SYSROOT_NO_PACKAGES' : 'SYSROOT_FAILED',
    message: missingTool
      ? `cannot prepare the ${platform.name} sysroot: ${file} is not installed (seabuild takes the target's libraries from Debian packages)`
      : noArch
        ? `the configured apt sources list no ${platform.debianArch} packages (${args.filter((a) => !a.startsWith('-')).slice(1).join(' ')}): ${output.split('\n')[0]}`
        : `preparing the ${platform.name} sysroot failed: ${file} ${args.slice(0, 2).join(' ')}: ${output.split('\n').slice(-3).join(' / ')}`,
    fix: missingTool
      ? 'build on Debian or Ubuntu (apt-get, apt-cache and dpkg-deb are needed)'
      : noArch
        ? `add the architecture to apt once, as root: dpkg --add-architecture ${platform.debianArch} && apt-get update`
        : 'check the apt sources (apt-get update) and the network; rerun with --debug for the whole output',
    cause: result,
  });
}
