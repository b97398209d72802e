// Choosing and checking the node binary the executable is made of.
import { open, stat } from 'node:fs/promises';
import { execa } from 'execa';
import { SeabuildError } from '../errors.ts';
import { hostMachine as hostMachineOf, readElfFile } from '../elf/index.ts';

/** A node binary that can carry a SEA blob. */
export interface NodeBinary {
  path: string;
  /** e.g. `v24.21.0` */
  version: string;
  major: number;
  sizeBytes: number;
}

// The fuse postject flips to :1 on injection (Node's src/node_sea.cc); an unflipped one means an unused binary.
export const seaFuse = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';

/** Checks that `path` is a runnable, not-yet-injected node ≥ 22 of this platform, and reads its version. */
export async function inspectNodeBinary(path: string): Promise<NodeBinary> {
  const fix = 'pass --node a Linux node binary of this machine\'s architecture, version 22 or newer (e.g. node_modules/node/bin/node)';
  let sizeBytes: number;
  try {
    sizeBytes = (await stat(path)).size;
  } catch (cause) {
    throw new SeabuildError({ code: 'NODE_NOT_FOUND', message: 'node binary not found', file: path, fix, cause });
  }
  const { machine } = await readElfFile(path).catch((error: unknown) => {
    if ((error as SeabuildError).code !== 'ELF_NOT_ELF') throw error;
    throw new SeabuildError({ code: 'NODE_NOT_ELF', message: 'not an ELF executable, so not a Linux node binary', file: path, fix, cause: error });
  });
  const hostMachine = hostMachineOf();
  if (machine !== hostMachine) {
    // --node makes the blob, so it must run here; another platform's binary is given per platform.
    const platform = machine === 'aarch64' ? 'linux/arm64' : 'linux/amd64';
    throw new SeabuildError({ code: 'NODE_WRONG_MACHINE', message: `this node binary is for ${machine}, but --node must be a node of this machine (${hostMachine}): it makes the blob that every platform's executable carries`, file: path, fix: `pass a ${hostMachine} node as --node, and this binary for its platform: --platform ${platform} --node-for ${platform}=${path}` });
  }
  // Checked before running it: an injected executable would answer --version as the app.
  if (!(await containsFuse(path, `${seaFuse}:0`))) {
    throw new SeabuildError({ code: 'NODE_ALREADY_INJECTED', message: 'this binary carries no unused SEA fuse: it is already a single executable application, or not an official Node build', file: path, fix });
  }
  const result = await execa(path, ['--version'], { reject: false, timeout: 30_000, env: { NODE_OPTIONS: '' } });
  const version = result.stdout.trim();
  const match = /^v(\d+)\.\d+\.\d+/.exec(version);
  if (result.exitCode !== 0 || !match) {
    const why = result.failed ? (result.shortMessage ?? 'it failed to run') : `it printed "${version.slice(0, 80)}"`;
    throw new SeabuildError({ code: 'NODE_NOT_RUNNABLE', message: `cannot run this node binary to make its SEA blob: ${why}`, file: path, fix, cause: result });
  }
  const major = Number(match[1]);
  if (major < 22) {
    throw new SeabuildError({ code: 'NODE_TOO_OLD', message: `node ${version} is too old: seabuild builds for Node 22, 24 and 26`, file: path, fix });
  }
  return { path, version, major, sizeBytes };
}

/** Scans the file in chunks (node is 100+ MB) for a byte string; each read lands after the last chunk's tail, so no chunk is copied. */
export async function containsFuse(path: string, needle: string | Buffer): Promise<boolean> {
  const target = Buffer.from(needle);
  const handle = await open(path, 'r');
  try {
    const chunk = Buffer.allocUnsafe(8 << 20);
    let carry = 0;
    for (let position = 0; ; ) {
      const { bytesRead } = await handle.read(chunk, carry, chunk.length - carry, position);
      if (bytesRead === 0) return false;
      const filled = carry + bytesRead;
      if (chunk.subarray(0, filled).includes(target)) return true;
      // The last needle-length-minus-one bytes may hold the start of a match: they begin the next window.
      carry = Math.min(filled, target.length - 1);
      chunk.copyWithin(0, filled - carry, filled);
      position += bytesRead;
    }
  } finally {
    await handle.close();
  }
}
