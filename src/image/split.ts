// The split layout (image.layout "split"): the stripped node binary alone in a `runtime` layer, and
// the app as plain files — the bundle and every SEA asset as a file named by its key, which the
// runtime reads through SEABUILD_EMBED_DIR when it runs under plain node (runtime-stubs/vfs/bootstrap.ts).
// A SEA's blob lives inside the node binary, so any code or asset change makes a new ~100 MB file and a
// new ~55 MB compressed layer; here the runtime layer stays byte-identical and is never pulled again.
import { statSync } from 'node:fs';
import { posix } from 'node:path';
import type { RootfsEntry } from '../rootfs/index.ts';

/** Where the split layout puts node. */
export const SPLIT_NODE_PATH = '/usr/local/bin/node';

/** What the split layout's app layer and config are made of. */
export interface SplitApp {
  /** The bundle (esbuild's one CommonJS file) on the build host. */
  bundlePath: string;
  /** SEA asset key → file on the build host (the image executable's assets). */
  assets: Record<string, string>;
}

/** `${appDir}/main.cjs` and `${appDir}/embed/<key>` as app-layer entries. */
export function splitAppEntries(app: SplitApp, appDir: string): RootfsEntry[] {
  const file = (path: string, source: string): RootfsEntry => ({ type: 'file', path, mode: 0o644, uid: 0, gid: 0, source: { path: source }, sizeBytes: statSync(source).size });
  return [
    file(splitBundlePath(appDir), app.bundlePath),
    ...Object.keys(app.assets).sort().map((key) => file(posix.join(appDir, 'embed', key), app.assets[key]!)),
  ];
}

export function splitBundlePath(appDir: string): string {
  return posix.join(appDir, 'main.cjs');
}

/** The config differences: node runs the bundle; the runtime finds its embedded files on disk. */
export function splitRuntimeConfig(appDir: string): { entrypoint: string[]; env: Record<string, string>; healthcheck: string[] } {
  const command = [SPLIT_NODE_PATH, splitBundlePath(appDir)];
  return { entrypoint: command, env: { SEABUILD_EMBED_DIR: posix.join(appDir, 'embed') }, healthcheck: ['CMD', ...command, 'healthcheck'] };
}
