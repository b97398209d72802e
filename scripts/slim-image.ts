// The image people make today, rebuilt here without a daemon: a Debian bookworm minbase rootfs from
// Debian's own packages (debootstrap), the same node binary in /usr/local/bin (unstripped, as the
// official node images ship it), and the app under /app: package.json, the `npm ci --omit=dev`
// node_modules and the app's JavaScript (buildSlimImage), or any app's files, such as a framework's
// build output (buildNodeImage, for bench-frameworks). Three layers, gzip 6 like seabuild's, one real archive.
import { cpSync, existsSync, readFileSync, readlinkSync, lstatSync, readdirSync, realpathSync } from 'node:fs';
import { rename, rm, mkdir } from 'node:fs/promises';
import { join, posix, relative } from 'node:path';
import { execa } from 'execa';
import { createLayer, type Layer } from '../src/image/layer.ts';
import { appendLayers, emptyImage, withConfig, type RuntimeConfig } from '../src/image/image.ts';
import { writeImageArchive } from '../src/image/archive.ts';
import type { RootfsEntry } from '../src/rootfs/index.ts';

/** One layer's sizes. */
export interface LayerSize { name: string; compressedBytes: number; uncompressedBytes: number }

// What a built image would not carry: kernel filesystems, apt's downloaded lists and caches
// (debian:bookworm-slim and node:*-slim remove them too), debootstrap's own state, and what the
// official -slim variants drop (debuerreotype's scripts/.slimify-excludes, minus .slimify-includes).
const SKIPPED = [
  /^\/(dev|proc|sys|run|tmp)\/./, /^\/var\/cache\/apt\/.+/, /^\/var\/lib\/apt\/lists\/.+/, /^\/debootstrap(\/|$)/,
  /^\/usr\/share\/(doc|groff|info|linda|lintian\/overrides|locale|man)\/./,
];
const KEPT = [/^\/usr\/share\/doc\/[^/]+(\/copyright)?$/, /^\/usr\/share\/locale\/(locale\.alias|languages|all_languages)$/];
const skipForSlim = (path: string): boolean => SKIPPED.some((p) => p.test(path)) && !KEPT.some((p) => p.test(path));

/** The Debian mirror apt uses here (deb822 `URIs:` or a one-line `deb` entry), else Debian's default. */
export function debianMirror(): string {
  for (const file of ['/etc/apt/sources.list.d/debian.sources', '/etc/apt/sources.list']) {
    if (!existsSync(file)) continue;
    const text = readFileSync(file, 'utf8');
    const uri = /^URIs:\s*(\S+\/debian)\s*$/m.exec(text)?.[1] ?? /^deb\s+(?:\[[^\]]*\]\s+)?(\S+\/debian)\s+bookworm\b/m.exec(text)?.[1];
    if (uri) return uri;
  }
  return 'http://deb.debian.org/debian';
}

/** A bookworm minbase rootfs under `cacheDir`, made once with debootstrap (as root). */
export async function ensureMinbaseRootfs(cacheDir: string, log: (line: string) => void): Promise<string> {
  const dir = join(cacheDir, 'bookworm-minbase');
  if (existsSync(dir)) return dir;
  const temp = `${dir}.tmp`;
  await rm(temp, { recursive: true, force: true });
  await mkdir(cacheDir, { recursive: true });
  const mirror = debianMirror();
  log(`debootstrap --variant=minbase bookworm ${temp} ${mirror} (once; cached)`);
  await execa('debootstrap', ['--variant=minbase', 'bookworm', temp, mirror], { stdio: 'inherit' });
  await rename(temp, dir);
  return dir;
}

/** Entries for every file, directory and symlink under `hostDir`, placed under `imageDir`. */
export function walkEntries(hostDir: string, imageDir: string, skip: (path: string) => boolean = () => false): RootfsEntry[] {
  const entries: RootfsEntry[] = [];
  const visit = (host: string, path: string): void => {
    if (skip(path)) return;
    const stats = lstatSync(host);
    const owner = { uid: stats.uid, gid: stats.gid };
    if (stats.isSymbolicLink()) entries.push({ type: 'symlink', path, target: readlinkSync(host), ...owner });
    else if (stats.isFile()) entries.push({ type: 'file', path, mode: stats.mode & 0o7777, ...owner, source: { path: host }, sizeBytes: stats.size });
    else if (stats.isDirectory()) {
      if (path !== '/') entries.push({ type: 'dir', path, mode: stats.mode & 0o7777, ...owner });
      for (const name of readdirSync(host).sort()) visit(join(host, name), posix.join(path, name));
    }
    // Device nodes, fifos and sockets are left out: an image carries none.
  };
  visit(hostDir, imageDir);
  return entries;
}

/** `node_modules` as `npm ci --omit=dev` left it; a linked package (file: dependency) counts as its published files. */
export function nodeModulesEntries(appDir: string): RootfsEntry[] {
  const root = join(appDir, 'node_modules');
  const entries = walkEntries(root, '/app/node_modules');
  return entries.flatMap((entry) => {
    if (entry.type !== 'symlink' || !/^\/app\/node_modules\/(@[^/]+\/)?[^/]+$/.test(entry.path)) return [entry];
    const target = realpathSync(join(appDir, entry.path.slice('/app/'.length)));
    // A snapshot, so that a file edited meanwhile in the linked folder cannot change under the tar writer.
    const snapshot = join(appDir, '.compare-sizes-links', entry.path.slice('/app/node_modules/'.length));
    const files: string[] = JSON.parse(readFileSync(join(target, 'package.json'), 'utf8')).files ?? [];
    return ['package.json', ...files].filter((name) => existsSync(join(target, name))).flatMap((name) => {
      cpSync(join(target, name), join(snapshot, name), { recursive: true });
      return walkEntries(join(snapshot, name), posix.join(entry.path, name), (path) => /\.test\.ts$|\/testdata(\/|$)/.test(path));
    });
  });
}

/** Writes the three layers and a loadable archive; returns the layer sizes. */
export async function buildSlimImage(input: { rootfsDir: string; nodeBinary: string; appDir: string; appJsDir: string; outDir: string; sourceDateEpoch: number }): Promise<LayerSize[]> {
  return buildNodeImage({
    ...input,
    app: [
      { type: 'file', path: '/app/package.json', mode: 0o644, uid: 0, gid: 0, source: { path: join(input.appDir, 'package.json') }, sizeBytes: lstatSync(join(input.appDir, 'package.json')).size },
      ...nodeModulesEntries(input.appDir),
      ...walkEntries(input.appJsDir, '/app/dist'),
    ],
    config: { entrypoint: ['/usr/local/bin/node'], cmd: ['/app/dist/main.js', 'serve'], user: '1000:1000', env: { NODE_ENV: 'production' } },
    archive: join(input.outDir, 'node-slim-style.image.tar'),
    reference: 'compare-sizes/node-slim-style:latest',
  });
}

/**
 * Any app on the image a `FROM node:*` Dockerfile starts from: the minbase rootfs, node at
 * /usr/local/bin/node, then the app's files (`COPY`, root-owned) as the third layer; gzip 6.
 * Writes `archive` (loadable as `reference`) and returns the layer sizes.
 */
export async function buildNodeImage(input: { rootfsDir: string; nodeBinary: string; app: RootfsEntry[]; config: RuntimeConfig; archive: string; reference: string; sourceDateEpoch: number }): Promise<LayerSize[]> {
  const layerDir = `${input.archive}.layers`;
  const options = { compression: 'gzip' as const, sourceDateEpoch: input.sourceDateEpoch, workDir: layerDir };
  const layers: Array<[string, RootfsEntry[]]> = [
    ['debian bookworm minbase', walkEntries(input.rootfsDir, '/', skipForSlim)],
    ['node', [{ type: 'file', path: '/usr/local/bin/node', mode: 0o755, uid: 0, gid: 0, source: { path: input.nodeBinary }, sizeBytes: lstatSync(input.nodeBinary).size }]],
    ['app', input.app],
  ];
  const written: Layer[] = [];
  for (const [, entries] of layers) written.push(await createLayer(entries.map(rootOwned), options));
  const image = withConfig(appendLayers(emptyImage({ machine: 'x86_64', sourceDateEpoch: input.sourceDateEpoch }), written), input.config);
  await writeImageArchive(image, input.archive, { references: [input.reference] });
  await rm(layerDir, { recursive: true, force: true });
  return layers.map(([name], i) => ({ name, compressedBytes: written[i]!.sizeBytes, uncompressedBytes: written[i]!.uncompressedBytes }));
}

/** Files copied into an image by `COPY` belong to root; debootstrap's files already do. */
function rootOwned(entry: RootfsEntry): RootfsEntry {
  return entry.path.startsWith('/app') || entry.path.startsWith('/usr/local') ? { ...entry, uid: 0, gid: 0 } : entry;
}

/** `relative` for messages. */
export const shown = (path: string): string => relative(process.cwd(), path) || '.';
