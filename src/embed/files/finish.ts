// The last pass over the tree's candidates: ELF files are checked against the target machine and
// their $ORIGIN libraries added, every package gets its package.json, and each file is hashed.
import { existsSync, lstatSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { join, sep } from 'node:path';
import { sha256Hex } from '../../sha256.ts';
import { SeabuildError } from '../../errors.ts';
import type { Machine } from '../../elf/index.ts';
import { packageOf } from '../../../runtime-stubs/vfs/tree.ts';
import { packageDirOf, treePathOf } from '../../bundle/tree-paths.ts';
import { elfKind, isElf, originDependencies, readNative } from './native.ts';
import type { PackageFile, PackageFileKind, PackageFiles } from './types.ts';

/** A file chosen for the tree, before it is checked and hashed. */
export interface Candidate {
  treePath: string;
  sourcePath: string;
  /** The package file it stands for (differs from sourcePath for bundled entries). */
  origin: string;
  reason: string;
}

/** Checks, completes and hashes the candidates into the PackageFiles artifact. */
export async function finishPackageFiles(candidates: Candidate[], root: string, machine: Machine): Promise<PackageFiles> {
  const byTree = new Map(candidates.filter((c) => !isLinkToFolder(c, root)).map((c) => [c.treePath, c]));
  const kinds = new Map<string, PackageFileKind>();
  const queue = [...byTree.values()];
  for (let c = queue.shift(); c; c = queue.shift()) {
    if (!isElf(c.sourcePath)) {
      // A .node that is not ELF is an addon for macOS or Windows (Mach-O, PE): prebuilds of other platforms.
      if (c.treePath.endsWith('.node')) byTree.delete(c.treePath);
      continue;
    }
    const info = await readNative(c.sourcePath, machine);
    if (!info) { byTree.delete(c.treePath); continue; } // built for another machine or OS, or for musl
    const kind = elfKind(c.sourcePath, info);
    kinds.set(c.treePath, kind);
    if (kind === 'executable') continue;
    for (const dependency of originDependencies(c.sourcePath, info)) {
      const treePath = treePathOf(dependency, root);
      if (treePath === undefined || byTree.has(treePath)) continue;
      const found = { treePath, sourcePath: dependency, origin: dependency, reason: `loaded by ${c.treePath} through its ${info.runpath.length > 0 ? 'RUNPATH' : 'RPATH'}` };
      byTree.set(treePath, found);
      queue.push(found);
    }
  }
  for (const c of [...byTree.values()]) {
    if (!c.origin.includes(`${sep}node_modules${sep}`)) continue;
    const manifest = join(packageDirOf(c.origin, root), 'package.json');
    const treePath = treePathOf(manifest, root);
    if (treePath && !byTree.has(treePath) && existsSync(manifest)) {
      byTree.set(treePath, { treePath, sourcePath: manifest, origin: manifest, reason: 'package manifest (module resolution reads it)' });
    }
  }
  const files = [...byTree.values()].sort((a, b) => (a.treePath < b.treePath ? -1 : a.treePath > b.treePath ? 1 : 0)).map((c) => describe(c, kinds.get(c.treePath)));
  const elf = files.filter((f) => f.kind === 'addon' || f.kind === 'library' || f.kind === 'executable');
  const id = elfFilesId(elf);
  return { files, totalBytes: files.reduce((n, f) => n + f.sizeBytes, 0), elfFiles: elf.map((f) => f.sourcePath), id };
}

/** Hash of the ELF files (paths, modes, contents): names the extraction folder. */
export function elfFilesId(elf: PackageFile[]): string {
  return sha256Hex(elf.map((f) => `${f.treePath}\0${f.mode.toString(8)}\0${f.sha256}\n`).join('')).slice(0, 32);
}

function describe(c: Candidate, elfKind: PackageFileKind | undefined): PackageFile {
  const bytes = readFileSync(c.sourcePath);
  const kind = elfKind ?? (/\.(c|m)?[jt]sx?$/.test(c.treePath) ? 'script' : 'data');
  const executableBit = (statSync(c.sourcePath).mode & 0o111) !== 0;
  const pkg = packageOf(c.treePath);
  return {
    treePath: c.treePath,
    sourcePath: c.sourcePath,
    ...(pkg === 'the app' ? {} : { package: pkg }),
    kind,
    sizeBytes: bytes.length,
    sha256: sha256Hex(bytes),
    mode: kind === 'executable' || (kind !== 'addon' && kind !== 'library' && executableBit) ? 0o755 : 0o644,
    reason: c.reason,
    ...(kind === 'script' && c.origin !== c.sourcePath && !c.treePath.endsWith('.mjs') ? { bundled: true } : {}),
  };
}

// A symbolic link is embedded as the file it points to, and that file must lie inside the link's
// own package (the app's folder for the app's files): otherwise a link in node_modules could carry
// any file of the build machine (~/.npmrc, /etc/shadow) into the executable. A link to a folder
// names no file and is left out; the folder's own files are listed where they are.
function isLinkToFolder(c: Candidate, root: string): boolean {
  if (!lstatSync(c.sourcePath).isSymbolicLink()) return false;
  const packageDir = realpathSync(packageDirOf(c.origin, root));
  let target: string;
  try {
    target = realpathSync(c.sourcePath);
  } catch (cause) {
    throw new SeabuildError({ code: 'EMBED_LINK_BROKEN', message: `${c.treePath} is a symbolic link to a file that does not exist (${(cause as NodeJS.ErrnoException).code})`, file: c.sourcePath, fix: 'remove the link, or reinstall the package that ships it', cause });
  }
  if (target !== packageDir && !target.startsWith(`${packageDir}${sep}`)) {
    throw new SeabuildError({
      code: 'EMBED_LINK_OUTSIDE_PACKAGE',
      message: `${c.treePath} is a symbolic link to ${target}, outside ${packageDir}: seabuild embeds no file from outside the package that holds the link`,
      file: c.sourcePath,
      fix: 'replace the link with a copy of the file, or leave the file out of include',
    });
  }
  return statSync(target).isDirectory();
}
