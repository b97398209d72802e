// Stage: the target platforms of one build. For each: the node binary the executable is made of (the
// build's own node for the build machine's platform; for another, the binary given with --node-for or
// node-linux-<cpu>@<the same version> from npm), stripped by that machine's strip; the Debian sysroot
// its libraries come from; and the qemu-user program that can run it here, if any.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { ResolvedConfig } from '../config.ts';
import { SeabuildError } from '../errors.ts';
import type { Logger } from '../log.ts';
import { prepareForeignNode, type PreparedNode } from '../sea/index.ts';
import { nodeFromPackage } from './node-package.ts';
import { prepareSysroot, type Sysroot } from './sysroot.ts';
import { inspectTargetNode } from './target-node.ts';
import type { TargetPlatform } from './platforms.ts';

export { hostPlatform, parsePlatforms, platformNamed, platformOfMachine, type TargetPlatform } from './platforms.ts';
export type { Sysroot } from './sysroot.ts';

/** One platform of the build, ready for the sea and image stages. */
export interface Target {
  platform: TargetPlatform;
  /** The build machine's own platform (no emulator, the host's libraries). */
  host: boolean;
  node: PreparedNode;
  /** Where the node binary came from. */
  nodeSource: { kind: 'build' | 'given' } | { kind: 'npm'; spec: string; sha256: string; integrity: string; cached: boolean };
  /** Another platform's libraries (absent for the host's, whose libraries are the machine's). */
  sysroot?: Sysroot;
  /** qemu-user for this platform, when it is not the host's and the program is installed. */
  emulator?: string;
  /** Output names: `<name>` for a build of the host's platform alone, else `<name>-linux-<arch>`. */
  artifactName: string;
}

/** The slice of the config the platforms stage reads. */
export type PlatformSettings = Pick<ResolvedConfig, 'platforms' | 'hostPlatform' | 'name' | 'platformNodes' | 'toolPath' | 'image' | 'verify' | 'nodeBinary' | 'cacheDir'>;

/** Prepares every platform of `config.platforms`; `buildNode` is the prepared --node (it makes the blob). */
export async function prepareTargets(config: PlatformSettings, buildNode: PreparedNode, logger: Logger): Promise<Target[]> {
  const single = config.platforms.length === 1 && config.platforms[0] === config.hostPlatform;
  const targets: Target[] = [];
  for (const platform of config.platforms) {
    const artifactName = single ? config.name : `${config.name}-${platform.suffix}`;
    if (platform === config.hostPlatform) {
      targets.push({ platform, host: true, node: buildNode, nodeSource: { kind: 'build' }, artifactName });
      continue;
    }
    const given = config.platformNodes[platform.name];
    const emulator = findEmulator(platform, config.toolPath);
    // Fail before any work when the smoke run was asked for and cannot run (verifyImage warns otherwise).
    if (!emulator && config.image && config.verify?.required) throw noEmulatorError(platform, given ?? config.nodeBinary);
    const downloaded = given ? undefined : await nodeFromPackage(platform, buildNode.version, config.cacheDir);
    if (downloaded) logger.info(`node ${buildNode.version} for ${platform.name}: ${downloaded.spec}${downloaded.cached ? ' (cached)' : ' (downloaded from npm)'}`);
    const node = await inspectTargetNode(given ?? downloaded!.path, platform, buildNode, Boolean(given));
    const sysroot = await prepareSysroot(platform, config.cacheDir, logger);
    const prepared = await prepareForeignNode(node, config.cacheDir, { command: `${platform.triplet}-strip`, package: `binutils-${platform.triplet}` }, {
      blobMaker: buildNode,
      ...(emulator ? { runPrefix: [emulator, '-L', sysroot.dir] } : {}),
    });
    targets.push({
      platform, host: false, node: prepared,
      nodeSource: downloaded ? { kind: 'npm', spec: downloaded.spec, sha256: downloaded.sha256, integrity: downloaded.integrity, cached: downloaded.cached } : { kind: 'given' },
      sysroot, ...(emulator ? { emulator } : {}), artifactName,
    });
  }
  return targets;
}

function noEmulatorError(platform: TargetPlatform, subject: string): SeabuildError {
  return new SeabuildError({
    code: 'VERIFY_NO_EMULATOR',
    message: `cannot smoke-run the ${platform.name} executable: ${platform.qemu} is not on the PATH, and this machine cannot run ${platform.machine} programs itself`,
    file: subject,
    fix: `install qemu-user-static (apt-get install qemu-user-static) to smoke-run ${platform.name} builds here, or build with --no-verify`,
  });
}

/** The qemu-user program on the build's PATH (Debian's qemu-user-static: no libraries to carry into a rootfs). */
function findEmulator(platform: TargetPlatform, path: readonly string[]): string | undefined {
  return path.map((dir) => join(dir, platform.qemu)).find((file) => existsSync(file));
}
