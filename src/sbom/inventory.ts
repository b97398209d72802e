// What is in the image, as one format-neutral inventory that spdx.ts and cyclonedx.ts render:
// the packages (the app, node, every npm package bundled or laid out, every Debian package a
// library came from), every file of the image with its hashes, and which package holds which file.
// Everything comes from the build's artifacts; only file hashes are computed here.
import { readFileSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { parseReference } from '../image-reference.ts';
import type { RootfsEntry } from '../rootfs/index.ts';
import type { ResolvedConfig } from '../config.ts';
import type { Bundle } from '../bundle/index.ts';
import type { Embedded } from '../embed/index.ts';
import type { SeaExecutable } from '../sea/index.ts';
import type { ImageBuild } from '../image/index.ts';
import { hashFile, hashBytes, type FileHashes } from './hash.ts';
import { debPurl, genericPurl, npmPurl, ociPurl } from './purl.ts';
import { SEABUILD_ROOT } from '../report/javascript.ts';
import { SPLIT_NODE_PATH, splitBundlePath } from '../image/split.ts';
import { byteOrder } from '../order.ts';

/** The slice of the config the SBOM stage reads. */
export type SbomSettings = Pick<ResolvedConfig, 'image' | 'name' | 'outDir' | 'packageName' | 'root' | 'sourceDateEpoch' | 'version'>;

/** What the SBOM stage reads: the build's artifacts, and seabuild's version for the creator field. */
export interface SbomInput {
  config: SbomSettings;
  bundle: Bundle;
  embedded: Embedded;
  executable: SeaExecutable;
  image?: ImageBuild;
  seabuildVersion: string;
}

/** One package of the inventory. `id` is stable and unique within the document. */
export interface InventoryPackage {
  id: string;
  kind: 'image' | 'app' | 'node' | 'npm' | 'deb';
  name: string;
  version?: string;
  purl: string;
  /** The licence as the package declares it (package.json `license`); undefined when it says nothing. */
  license?: string;
  /** npm lockfile integrity (`sha512-…`, Subresource Integrity form). */
  integrity?: string;
  /** sha256 hex of the thing itself (the node binary as downloaded, the image manifest). */
  sha256?: string;
  architecture?: string;
  homepage?: string;
  description?: string;
  /** How it got into the image: `bundled` into the executable, `files` laid out as files. */
  via?: 'bundled' | 'files';
}

/** One regular file of the image. */
export interface InventoryFile {
  path: string;
  sizeBytes: number;
  hashes: FileHashes;
}

/** `from` contains `to` (a package its files, the executable the packages bundled into it). */
export interface InventoryRelation { from: string; to: string; kind: 'contains' | 'depends-on' }

export interface Inventory {
  subject: InventoryPackage;
  /** ISO 8601 without fractional seconds: the build's SOURCE_DATE_EPOCH. */
  created: string;
  packages: InventoryPackage[];
  files: InventoryFile[];
  /** File ids are `file:<path>`. */
  relations: InventoryRelation[];
  toolVersion: string;
}

type FileEntry = Extract<RootfsEntry, { type: 'file' }>;

/** Collects the inventory of a finished image build. */
export async function collectInventory(input: SbomInput): Promise<Inventory> {
  const { config, image, executable } = input;
  const appPath = config.image?.appPath ?? '/app';
  const entries = image ? image.rootfs.layers.flatMap((layer) => layer.entries.filter((entry): entry is FileEntry => entry.type === 'file')) : [];
  // SHA256s the build already computed, by host path: not a second pass over the executable.
  const knownSha256 = new Map([...Object.entries(image?.libraries.sha256 ?? {}), [executable.path, executable.sha256], ...(image ? [[image.executable.path, image.executable.sha256] as const] : [])]);
  const files: InventoryFile[] = [];
  for (const entry of entries) files.push({ path: entry.path, sizeBytes: entry.sizeBytes, hashes: 'path' in entry.source ? await hashFile(entry.source.path, knownSha256.get(entry.source.path)) : hashBytes(entry.source.content) });
  if (!image) files.push({ path: appPath, sizeBytes: executable.sizeBytes, hashes: await hashFile(executable.path, executable.sha256) });
  files.sort((a, b) => byteOrder(a.path, b.path));

  const reference = image?.archive.references[0] ?? config.image?.reference;
  const manifestDigest = image?.archive.manifestDigest;
  const subject: InventoryPackage = {
    id: 'image', kind: 'image', name: reference ? repositoryOf(reference) : config.name, version: config.version,
    purl: reference && manifestDigest ? ociPurl(reference, manifestDigest) : npmPurl(config.packageName, config.version),
    ...(manifestDigest ? { sha256: manifestDigest.slice('sha256:'.length) } : {}),
  };
  const appPackage = readPackageJson(config.root);
  const packages: InventoryPackage[] = [
    { id: 'app', kind: 'app', name: config.packageName, version: config.version, purl: npmPurl(config.packageName, config.version), ...licenseOf(appPackage), ...describedBy(appPackage) },
    { id: 'node', kind: 'node', name: 'node', version: executable.node.version.replace(/^v/, ''), purl: genericPurl('node', executable.node.version.replace(/^v/, '')), sha256: executable.node.sha256, homepage: 'https://nodejs.org/', license: 'MIT', description: 'Node.js runtime (stripped) that the executable is built on' },
  ];
  const relations: InventoryRelation[] = [{ from: 'image', to: 'app', kind: 'contains' }, { from: 'image', to: 'node', kind: 'contains' }];
  for (const file of files) relations.push({ from: 'image', to: `file:${file.path}`, kind: 'contains' });
  // The split layout has no single executable: node is its own file, the bundle another.
  const single = files.some((file) => file.path === appPath);
  const nodeFile = single ? appPath : SPLIT_NODE_PATH;
  const bundleFile = single ? appPath : splitBundlePath(appPath);
  relations.push({ from: `file:${nodeFile}`, to: 'node', kind: 'contains' }, { from: `file:${bundleFile}`, to: 'app', kind: 'contains' });

  const lock = readLockfile(config.root);
  const npm = new Map<string, InventoryPackage>(); // package dir → package
  const addNpm = (dir: string, via: 'bundled' | 'files'): InventoryPackage | undefined => {
    const known = npm.get(dir);
    if (known) return known;
    const json = readPackageJson(dir);
    if (typeof json.name !== 'string') return undefined;
    const version = typeof json.version === 'string' ? json.version : undefined;
    const integrity = lock.get(relative(config.root, dir));
    const pkg: InventoryPackage = { id: `npm:${dir}`, kind: 'npm', name: json.name, ...(version ? { version } : {}), purl: npmPurl(json.name, version), ...licenseOf(json), ...describedBy(json), ...(integrity ? { integrity } : {}), via };
    npm.set(dir, pkg);
    return pkg;
  };
  for (const dir of bundledPackageDirs(input)) {
    const pkg = addNpm(dir, 'bundled');
    if (pkg) relations.push({ from: `file:${bundleFile}`, to: pkg.id, kind: 'contains' });
  }
  // Package files laid out in the image (native addons): the file belongs to its innermost package.
  const imagePathOf = new Map(entries.flatMap((entry) => ('path' in entry.source ? [[entry.source.path, entry.path] as const] : [])));
  for (const file of input.embedded.packageFiles?.files ?? []) {
    const dir = packageDirOf(file.sourcePath);
    const pkg = dir ? addNpm(dir, 'files') : undefined;
    if (!pkg) continue;
    const imagePath = imagePathOf.get(file.sourcePath);
    relations.push(imagePath ? { from: pkg.id, to: `file:${imagePath}`, kind: 'contains' } : { from: `file:${bundleFile}`, to: pkg.id, kind: 'contains' });
  }
  const npmPackages = [...npm.values()].sort((a, b) => byteOrder(a.purl, b.purl));
  // Ids by position in purl order: stable across checkouts (no host paths in the document).
  const renamed = new Map(npmPackages.map((pkg, index) => [pkg.id, `npm-${index}`]));
  for (const pkg of npmPackages) pkg.id = renamed.get(pkg.id)!;
  for (const relation of relations) { relation.from = renamed.get(relation.from) ?? relation.from; relation.to = renamed.get(relation.to) ?? relation.to; }
  packages.push(...npmPackages);
  for (const pkg of npmPackages) if (!relations.some((r) => r.from === 'image' && r.to === pkg.id)) relations.push({ from: 'image', to: pkg.id, kind: 'contains' });

  for (const [index, deb] of debianPackages(input).entries()) {
    const pkg = { ...deb.pkg, id: `deb-${index}` };
    packages.push(pkg);
    relations.push({ from: 'image', to: pkg.id, kind: 'contains' });
    for (const path of deb.paths) if (files.some((file) => file.path === path)) relations.push({ from: pkg.id, to: `file:${path}`, kind: 'contains' });
  }
  return { subject, created: new Date(config.sourceDateEpoch * 1000).toISOString().replace('.000Z', 'Z'), packages, files, relations: dedupe(relations), toolVersion: input.seabuildVersion };
}

/** Directories of the npm packages whose modules esbuild put into the bundle (seabuild's runtime included). */
function bundledPackageDirs(input: SbomInput): string[] {
  const dirs = new Set<string>();
  for (const output of Object.values(input.bundle.metafile.outputs)) {
    for (const [inputPath, { bytesInOutput }] of Object.entries(output.inputs)) {
      if (bytesInOutput === 0 || /^[(<]|^[a-z-]+:/.test(inputPath)) continue;
      const absolute = isAbsolute(inputPath) ? inputPath : resolve(input.config.root, inputPath);
      const dir = packageDirOf(absolute) ?? (absolute.startsWith(`${SEABUILD_ROOT}/`) ? SEABUILD_ROOT : undefined);
      if (dir) dirs.add(dir);
    }
  }
  return [...dirs].sort();
}

/** The innermost `…/node_modules/<name>` (or `@scope/name`) folder of a path. */
function packageDirOf(path: string): string | undefined {
  const matches = [...path.matchAll(/\/node_modules\/((?:@[^/]+\/)?[^/]+)(?=\/)/g)];
  const last = matches.at(-1);
  return last ? path.slice(0, last.index + last[0].length) : undefined;
}

/**
 * Each Debian package that installed a library (or the loader) of the image, with those files' image
 * paths: the owners the image stage found (in the target platform's dpkg database for another
 * platform), not a second scan of dpkg's file lists.
 */
function debianPackages(input: SbomInput): Array<{ pkg: Omit<InventoryPackage, 'id'>; paths: string[] }> {
  const distro = readDistro();
  const byName = new Map<string, { pkg: Omit<InventoryPackage, 'id'>; paths: string[] }>();
  for (const library of input.image?.libraries.system ?? []) {
    const owner = library.package;
    if (!owner) continue;
    const key = `${owner.package}:${owner.architecture ?? ''}`;
    const entry = byName.get(key) ?? { pkg: { kind: 'deb' as const, name: owner.package, version: owner.version, purl: debPurl(owner.package, owner.version, owner.architecture, distro), ...(owner.architecture ? { architecture: owner.architecture } : {}) }, paths: [] };
    entry.paths.push(library.realPath);
    byName.set(key, entry);
  }
  return [...byName.values()].sort((a, b) => (a.pkg.purl < b.pkg.purl ? -1 : 1));
}

/** `debian-12` from /etc/os-release (the build host's distribution: the libraries are its files). */
function readDistro(): string | undefined {
  try {
    const text = readFileSync('/etc/os-release', 'utf8');
    const id = /^ID=("?)([^"\n]+)\1$/m.exec(text)?.[2];
    const version = /^VERSION_ID=("?)([^"\n]+)\1$/m.exec(text)?.[2];
    return id && version ? `${id}-${version}` : undefined;
  } catch {
    return undefined;
  }
}

/** package-lock.json (v2/v3) `packages` path → integrity. */
function readLockfile(root: string): Map<string, string> {
  const integrity = new Map<string, string>();
  try {
    const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as { packages?: Record<string, { integrity?: string }> };
    for (const [path, entry] of Object.entries(lock.packages ?? {})) if (path && entry.integrity) integrity.set(path, entry.integrity);
  } catch { /* no lockfile: no integrity to report */ }
  return integrity;
}

function readPackageJson(dir: string): Record<string, unknown> {
  try {
    return JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Record<string, unknown>;
  } catch {
    return {};
  }
}

/** package.json `license` (string or legacy `{ type }`), or the legacy `licenses` array joined with OR. */
function licenseOf(json: Record<string, unknown>): { license?: string } {
  const { license, licenses } = json as { license?: unknown; licenses?: unknown };
  if (typeof license === 'string' && license.trim()) return { license: license.trim() };
  if (license && typeof (license as { type?: unknown }).type === 'string') return { license: (license as { type: string }).type };
  if (Array.isArray(licenses)) {
    const types = licenses.map((l) => (typeof l === 'string' ? l : (l as { type?: unknown })?.type)).filter((t): t is string => typeof t === 'string');
    if (types.length) return { license: types.length === 1 ? types[0]! : `(${types.join(' OR ')})` };
  }
  return {};
}

function describedBy(json: Record<string, unknown>): { homepage?: string; description?: string } {
  return {
    ...(typeof json.homepage === 'string' && json.homepage ? { homepage: json.homepage } : {}),
    ...(typeof json.description === 'string' && json.description ? { description: json.description } : {}),
  };
}

function repositoryOf(reference: string): string {
  const { domain, repository } = parseReference(reference);
  return `${domain}/${repository}`;
}

function dedupe(relations: InventoryRelation[]): InventoryRelation[] {
  const seen = new Set<string>();
  return relations.filter((r) => { const key = `${r.from}\t${r.kind}\t${r.to}`; if (seen.has(key)) return false; seen.add(key); return true; });
}
