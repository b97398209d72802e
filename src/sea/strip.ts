// Stripping the official node binary (not stripped upstream: 126.6 MB → 108.5 MB for v24.21.0, measured),
// cached by the input's sha256 so a rebuild does not strip again.
import { createHash } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { SeabuildError } from '../errors.ts';
import { writeAtomically } from '../fs-atomic.ts';
import type { NodeBinary } from './node-binary.ts';

/** The strip program for the binary's architecture (the host's `strip` reads only the host's). */
export interface StripTool {
  command: string;
  /** The Debian package that has it, for the error's fix. */
  package: string;
}

/** A stripped copy of the node binary in the cache, and the sha256 of the original (its cache key). */
export async function stripNodeBinary(node: NodeBinary, cacheDir: string, tool: StripTool = { command: 'strip', package: 'binutils' }): Promise<{ path: string; sizeBytes: number; sourceSha256: string }> {
  const digest = await sha256File(node.path);
  const path = join(cacheDir, 'node', `${node.version}-${digest.slice(0, 16)}-stripped`);
  if (!existsSync(path)) {
    await writeAtomically(path, async (temp) => {
      const result = await execa(tool.command, ['--strip-all', '-o', temp, node.path], { reject: false, all: true });
      if (result.exitCode !== 0) {
        const missing = (result as { code?: string }).code === 'ENOENT';
        throw new SeabuildError({
          code: 'STRIP_FAILED',
          message: missing ? `${tool.command} is not installed (it strips the node binary before the blob goes in)` : `${tool.command} failed: ${result.all ?? result.shortMessage}`,
          file: node.path,
          fix: missing ? `install ${tool.package} (apt-get install ${tool.package})` : 'check that the node binary is a valid ELF file',
          cause: result,
        });
      }
    });
  }
  return { path, sizeBytes: (await stat(path)).size, sourceSha256: digest };
}

/** sha256 of a file, streamed. */
export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
