// The node binary of a target platform other than the build machine's: given (--node-for) or from
// npm (node-package.ts), checked without running it — right machine, an unused SEA fuse, and the
// exact version of the build's node, whose blob it will carry.
import { stat } from 'node:fs/promises';
import { SeabuildError } from '../errors.ts';
import { readElfFile } from '../elf/index.ts';
import { containsFuse, seaFuse, type NodeBinary } from '../sea/node-binary.ts';
import type { TargetPlatform } from './platforms.ts';

/** Checks `path` as the node of `platform` for a blob made by `blobMaker`. */
export async function inspectTargetNode(path: string, platform: TargetPlatform, blobMaker: NodeBinary, given: boolean): Promise<NodeBinary> {
  const flag = `--node-for ${platform.name}=PATH`;
  const fix = `pass ${flag} an official Linux node ${blobMaker.version} binary for ${platform.name} (or leave it out: seabuild downloads node-linux-${platform.npmCpu}@${blobMaker.version.slice(1)})`;
  let sizeBytes: number;
  try {
    sizeBytes = (await stat(path)).size;
  } catch (cause) {
    throw new SeabuildError({ code: 'NODE_NOT_FOUND', message: `node binary for ${platform.name} not found`, file: path, fix, cause });
  }
  const { machine } = await readElfFile(path).catch((error: unknown) => {
    if ((error as SeabuildError).code !== 'ELF_NOT_ELF') throw error;
    throw new SeabuildError({ code: 'NODE_NOT_ELF', message: 'not an ELF executable, so not a Linux node binary', file: path, fix, cause: error });
  });
  if (machine !== platform.machine) {
    throw new SeabuildError({ code: 'NODE_WRONG_MACHINE', message: `the node binary given for ${platform.name} is for ${machine}, not ${platform.machine}`, file: path, fix });
  }
  if (!(await containsFuse(path, `${seaFuse}:0`))) {
    throw new SeabuildError({ code: 'NODE_ALREADY_INJECTED', message: 'this binary carries no unused SEA fuse: it is already a single executable application, or not an official Node build', file: path, fix });
  }
  // An official build carries its source tarball's URL (process.release.sourceUrl), which names the
  // exact version; checked without running the binary (that may need an emulator). The executable's
  // own check under qemu-user confirms it where qemu is installed.
  if (!(await containsFuse(path, `/node-${blobMaker.version}.tar.gz`))) {
    throw new SeabuildError({
      code: 'NODE_VERSION_MISMATCH',
      message: `the node binary ${given ? 'given' : 'downloaded'} for ${platform.name} is not node ${blobMaker.version}, the version of --node that makes the blob (both must be the same version)`,
      file: path,
      fix: `pass a ${platform.name} node ${blobMaker.version} with ${flag}, or a --node of that binary's version`,
    });
  }
  return { path, version: blobMaker.version, major: blobMaker.major, sizeBytes };
}
