// `seabuild verify IMAGE.tar`: the smoke run on an existing archive — the image stage's validator
// checks it, its layers are unpacked in order into a temporary rootfs, and the verify stage's runner
// runs the entrypoint's `version` and `selftest` there. An entrance like build.ts: it composes two stages.
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { SeabuildError } from './errors.ts';
import { validateImageArchive } from './image/validate.ts';
import { verifyRootfs } from './verify/run.ts';
import type { Verification } from './verify/index.ts';

/** Validates `archivePath` and smoke-runs its entrypoint inside its own files. */
export async function verifyArchive(archivePath: string): Promise<Verification & { reference?: string }> {
  const image = await validateImageArchive(archivePath);
  const entrypoint: string[] | undefined = image.config.config?.Entrypoint;
  if (!entrypoint?.[0]) {
    throw new SeabuildError({ code: 'VERIFY_NO_ENTRYPOINT', message: 'the image config has no Entrypoint to run', file: archivePath, fix: 'verify an image built by seabuild build' });
  }
  const work = await mkdtemp(join(tmpdir(), 'seabuild-verify-'));
  try {
    await execa('tar', ['-xf', archivePath, '-C', work]);
    const rootfsDir = join(work, 'rootfs');
    await mkdir(rootfsDir);
    for (const layer of image.layers) {
      const decompress = layer.mediaType.endsWith('+zstd') ? '--zstd' : layer.mediaType.endsWith('+gzip') ? '-z' : '';
      // GNU tar as root keeps owners and modes, as a container engine's unpack does.
      await execa('tar', ['-x', ...(decompress ? [decompress] : []), '--same-owner', '-p', '-f', join(work, 'blobs/sha256', layer.digest.slice('sha256:'.length)), '-C', rootfsDir]);
    }
    const verification = await verifyRootfs({ rootfsDir, appPath: entrypoint[0], commands: ['version --json', 'load-addons', 'selftest'], subject: archivePath });
    return { ...verification, ...(image.references[0] ? { reference: image.references[0] } : {}) };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
