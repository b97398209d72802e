// The platforms one build can target, named as docker, podman and OCI name them (`linux/arm64`), with
// what each part of the pipeline calls the same machine: ELF, npm (`--cpu`), Debian (dpkg
// architecture), the GNU triplet (binutils, library folders) and qemu-user.
import { SeabuildError } from '../errors.ts';
import type { Machine } from '../elf/index.ts';

/** One target platform. */
export interface TargetPlatform {
  /** `linux/amd64`, `linux/arm64`: the OCI name. */
  name: string;
  os: 'linux';
  /** OCI architecture. */
  architecture: 'amd64' | 'arm64';
  /** ELF e_machine, as src/elf/read.ts names it. */
  machine: Machine;
  /** npm's `cpu` / Node's process.arch. */
  npmCpu: 'x64' | 'arm64';
  /** dpkg architecture. */
  debianArch: 'amd64' | 'arm64';
  /** GNU triplet: binutils prefix and Debian's multiarch folder. */
  triplet: 'x86_64-linux-gnu' | 'aarch64-linux-gnu';
  /** The qemu-user program that runs this machine's binaries elsewhere. */
  qemu: 'qemu-x86_64-static' | 'qemu-aarch64-static';
  /** `<name>-linux-arm64`: suffix of the per-platform outputs. */
  suffix: string;
}

const KNOWN: Record<string, TargetPlatform> = {
  'linux/amd64': { name: 'linux/amd64', os: 'linux', architecture: 'amd64', machine: 'x86_64', npmCpu: 'x64', debianArch: 'amd64', triplet: 'x86_64-linux-gnu', qemu: 'qemu-x86_64-static', suffix: 'linux-amd64' },
  'linux/arm64': { name: 'linux/arm64', os: 'linux', architecture: 'arm64', machine: 'aarch64', npmCpu: 'arm64', debianArch: 'arm64', triplet: 'aarch64-linux-gnu', qemu: 'qemu-aarch64-static', suffix: 'linux-arm64' },
};

// Spellings people write for the same platform (docker accepts the variant; Node and npm say x64).
const ALIASES: Record<string, string> = {
  'linux/x86_64': 'linux/amd64', 'linux/x64': 'linux/amd64',
  'linux/arm64/v8': 'linux/arm64', 'linux/aarch64': 'linux/arm64',
};

/** The platform of the machine seabuild runs on (`arch` is process.arch). */
export function hostPlatform(arch: string): TargetPlatform {
  const platform = arch === 'x64' ? KNOWN['linux/amd64'] : arch === 'arm64' ? KNOWN['linux/arm64'] : undefined;
  if (!platform) throw new SeabuildError({ code: 'PLATFORM_HOST_UNSUPPORTED', message: `seabuild builds on linux/amd64 or linux/arm64 machines, not on ${arch}`, fix: 'run seabuild on an x86-64 or arm64 Linux machine' });
  return platform;
}

/** The platform of an ELF machine. */
export function platformOfMachine(machine: Machine): TargetPlatform {
  return machine === 'x86_64' ? KNOWN['linux/amd64']! : KNOWN['linux/arm64']!;
}

/**
 * Parses `linux/amd64,linux/arm64` (or a list of such): unknown names fail naming them and the
 * known ones; duplicates collapse; the order given is kept (the first is the index's first).
 */
export function parsePlatforms(values: readonly string[], file: string | undefined): TargetPlatform[] {
  const out: TargetPlatform[] = [];
  for (const raw of values.flatMap((value) => value.split(','))) {
    const name = raw.trim().toLowerCase();
    if (name === '') continue;
    const platform = KNOWN[ALIASES[name] ?? name];
    if (!platform) {
      throw new SeabuildError({
        code: 'PLATFORM_UNKNOWN',
        message: `unknown platform "${raw.trim()}"`,
        ...(file ? { file } : {}),
        fix: `use one or more of ${Object.keys(KNOWN).join(', ')} (comma-separated)`,
        exitCode: 2,
      });
    }
    if (!out.includes(platform)) out.push(platform);
  }
  if (out.length === 0) throw new SeabuildError({ code: 'PLATFORM_UNKNOWN', message: 'no platform given', ...(file ? { file } : {}), fix: `use one or more of ${Object.keys(KNOWN).join(', ')}`, exitCode: 2 });
  return out;
}

/** Looks a platform up by its name (for `nodes` keys); undefined when unknown. */
export function platformNamed(name: string): TargetPlatform | undefined {
  const key = name.trim().toLowerCase();
  return KNOWN[ALIASES[key] ?? key];
}
