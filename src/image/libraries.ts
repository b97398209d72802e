// What the report and the SBOMs need to know about the image's shared libraries, found once while the
// image is laid out: the sha256 of each file (the inputs digest) and the Debian package that
// installed it (the report names libc6, libstdc++6, … as components).
import { basename } from 'node:path';
import { sha256File } from '../sha256.ts';
import { findOwningPackages, type OwningPackage } from './dpkg.ts';
import type { Closure } from './closure.ts';

export type { OwningPackage } from './dpkg.ts';

/** One library of the image (or its loader) with its package. */
export interface ImageLibrary {
  soname: string;
  /** Where ld.so opens it, and the file behind its symlinks (the image path that holds the bytes). */
  path: string;
  realPath: string;
  /** The dpkg package that installed it, when one did. */
  package?: OwningPackage;
}

export interface LibraryFacts {
  /** sha256 (hex) of every library of the closure and the loader, by host path. */
  sha256: Record<string, string>;
  /** The loader and the system libraries that go into the image, with their packages. */
  system: ImageLibrary[];
}

/** Hashes every library of `closure` and finds the package of each one the image holds (in `dpkgDir`, default the host's). */
export async function describeLibraries(closure: Closure, dpkgDir?: string): Promise<LibraryFacts> {
  const sha256: Record<string, string> = {};
  for (const library of [...closure.libraries, ...(closure.interpreter ? [closure.interpreter] : [])]) sha256[library.hostPath] ??= await sha256File(library.hostPath);
  const wanted = [
    ...(closure.interpreter ? [{ soname: basename(closure.interpreter.path), ...closure.interpreter }] : []),
    ...closure.libraries.filter((library) => library.system),
  ];
  // dpkg lists a file under the name it installed (libc6: /lib/x86_64-linux-gnu/libc.so.6), which may be
  // the path ld.so opens or the file behind its symlinks: ask for both.
  const owners = await findOwningPackages(wanted.flatMap((library) => [library.path, library.realPath, library.hostPath]), dpkgDir ? { dpkgDir } : {});
  const system = wanted.map((library): ImageLibrary => {
    const owner = owners.get(library.path) ?? owners.get(library.realPath) ?? owners.get(library.hostPath);
    return { soname: library.soname, path: library.path, realPath: library.realPath, ...(owner ? { package: owner } : {}) };
  });
  return { sha256, system };
}
