// The shared-library closure of some ELF roots, found the way ld.so(8) would find it at run time,
// by reading ELF headers only: never by running ldd or the binary (which cannot work across machines
// and would trust the build host's environment).
//
// Two namespaces meet here. The roots (the node binary, a native addon) are host files, and so is
// anything reached from them through $ORIGIN (sharp's libvips beside its addon). Everything reached
// through an absolute directory is looked up under `sysroot`, as ld.so inside the image would see it.

import { stat } from 'node:fs/promises';
import { basename, dirname, posix, resolve } from 'node:path';
import { SeabuildError } from '../errors.ts';
import { assertMachine, readElfFile, type ElfInfo, type Machine } from '../elf/index.ts';
import { defaultLibraryDirs, dynamicStringTokens, readLdSoConfDirs } from './ldconf.ts';
import { hostPathOf, resolveRooted, type SymlinkEntry } from './rooted-path.ts';
import { byteOrder } from '../order.ts';

export type { SymlinkEntry } from './rooted-path.ts';

/** What `resolveClosure` needs besides the roots. */
export interface ClosureOptions {
  machine: Machine;
  /** The root that absolute library paths are looked up under; default `/`. */
  sysroot?: string;
  /** More directories (absolute within the sysroot), searched after ld.so.conf's and before the defaults. */
  extraLibraryDirs?: string[];
}

/** How a library was found: which step of ld.so(8)'s search order matched. */
export type FoundVia = 'path' | 'rpath' | 'runpath' | 'ld.so.conf' | 'extra' | 'default';

/** One shared library of the closure. */
export interface ClosureLibrary {
  /** DT_SONAME, or the DT_NEEDED name when the file has none. */
  soname: string;
  /** The path ld.so would open, e.g. `/lib/x86_64-linux-gnu/libc.so.6` (within the sysroot when `system`). */
  path: string;
  /** `path` after every symlink (same namespace). */
  realPath: string;
  /** The file to read the bytes from on the build host. */
  hostPath: string;
  /** True when found under the sysroot; false when found beside a root through $ORIGIN (paths are host paths). */
  system: boolean;
  foundVia: FoundVia;
  /** The `path`s of the objects whose DT_NEEDED named it (a root by its real host path), in load order. */
  neededBy: string[];
  /** Every symlink crossed from `path` to `realPath`, directory links included. */
  symlinks: SymlinkEntry[];
}

/** The dynamic loader named by the roots' PT_INTERP, always under the sysroot. */
export interface ClosureInterpreter {
  path: string;
  realPath: string;
  hostPath: string;
  symlinks: SymlinkEntry[];
}

/** The libraries a set of roots needs, in the order ld.so loads them. */
export interface Closure {
  interpreter?: ClosureInterpreter;
  libraries: ClosureLibrary[];
  /** The symlinks of the interpreter and the system libraries (paths within the sysroot), sorted by path, once each. */
  symlinks: SymlinkEntry[];
}

/** Which filesystem a path belongs to: the build host's, or the sysroot's (the image's). */
type Space = 'host' | 'sysroot';

/** A loaded ELF object; `path` is absolute within its `space`. */
interface LoadedObject {
  path: string;
  space: Space;
  info: ElfInfo;
  /** The object whose DT_NEEDED (or dlopen) loaded it: ld.so's l_loader, walked for DT_RPATH. */
  loader: LoadedObject | undefined;
  library?: ClosureLibrary;
}

interface SearchDir { dir: string; space: Space; via: FoundVia }

interface State {
  machine: Machine;
  sysroot: string;
  systemDirs: SearchDir[];
  tokens: { LIB: string; PLATFORM: string };
  main: LoadedObject | undefined;
  interpreter: ClosureInterpreter | undefined;
  /** Every DT_NEEDED name and DT_SONAME already loaded, as ld.so matches names before searching. */
  byName: Map<string, LoadedObject>;
  /** Loaded files by host real path, as ld.so matches files by device and inode. */
  byHostRealPath: Map<string, LoadedObject>;
  libraries: ClosureLibrary[];
}

/**
 * Resolves the shared libraries `roots` need, recursively and breadth-first, by ld.so(8)'s rules.
 * The first root with a PT_INTERP is the program; the others load as if it dlopen()ed them.
 */
export async function resolveClosure(roots: string[], options: ClosureOptions): Promise<Closure> {
  const state = await createState(options);
  for (const root of roots) {
    const object = await loadRoot(state, root);
    if (object) await loadDependencies(state, object);
  }
  const symlinks = new Map<string, SymlinkEntry>();
  for (const entry of [...(state.interpreter?.symlinks ?? []), ...state.libraries.filter((l) => l.system).flatMap((l) => l.symlinks)]) {
    symlinks.set(entry.path, entry);
  }
  return {
    ...(state.interpreter ? { interpreter: state.interpreter } : {}),
    libraries: state.libraries,
    symlinks: [...symlinks.values()].sort((a, b) => byteOrder(a.path, b.path)),
  };
}

async function createState(options: ClosureOptions): Promise<State> {
  const sysroot = resolve(options.sysroot ?? '/');
  const system = (dirs: string[], via: FoundVia): SearchDir[] => dirs.map((dir) => ({ dir, space: 'sysroot', via }));
  const extra = (options.extraLibraryDirs ?? []).map((dir) => resolve(dir));
  return {
    machine: options.machine,
    sysroot,
    systemDirs: [
      ...system(await readLdSoConfDirs(sysroot), 'ld.so.conf'),
      ...system(extra, 'extra'),
      ...system(defaultLibraryDirs(options.machine), 'default'),
    ],
    tokens: dynamicStringTokens(options.machine),
    main: undefined,
    interpreter: undefined,
    byName: new Map(),
    byHostRealPath: new Map(),
    libraries: [],
  };
}

async function loadRoot(state: State, root: string): Promise<LoadedObject | undefined> {
  const path = resolve(root);
  const info = await readElfFile(path);
  assertMachine(info, state.machine, path);
  const resolved = await resolveRooted('/', path);
  const realPath = resolved?.realPath ?? path;
  if (state.byHostRealPath.has(realPath)) return undefined;
  // $ORIGIN of a program is where /proc/self/exe points, and node require()s addons by real path.
  const object: LoadedObject = { path: realPath, space: 'host', info, loader: state.main };
  if (info.interpreter) await loadInterpreter(state, info.interpreter, path);
  if (info.interpreter && !state.main) state.main = object;
  register(state, object, [], realPath);
  return object;
}

async function loadInterpreter(state: State, interpreter: string, neededBy: string): Promise<void> {
  if (state.interpreter) {
    if (state.interpreter.path === interpreter) return;
    throw new SeabuildError({
      code: 'ELF_INTERPRETER_MISMATCH',
      message: `${neededBy} asks for the dynamic loader ${interpreter}, but an earlier root asks for ${state.interpreter.path}`,
      file: neededBy,
      fix: 'Build every executable of the image against the same C library.',
    });
  }
  const resolved = await resolveRooted(state.sysroot, interpreter);
  if (!resolved) throw notFound(state, interpreter, neededBy, [dirname(interpreter)], 'the dynamic loader (PT_INTERP)');
  const hostPath = hostPathOf(state.sysroot, resolved.realPath);
  const info = await readElfFile(hostPath);
  assertMachine(info, state.machine, hostPath);
  state.interpreter = { path: interpreter, realPath: resolved.realPath, hostPath, symlinks: resolved.symlinks };
  // libc.so.6 names the loader in DT_NEEDED; ld.so matches that to itself by soname, never searching.
  const object: LoadedObject = { path: interpreter, space: 'sysroot', info, loader: undefined };
  register(state, object, [basename(interpreter)], hostPath);
}

async function loadDependencies(state: State, first: LoadedObject): Promise<void> {
  const queue = [first];
  for (let object = queue.shift(); object; object = queue.shift()) {
    for (const name of object.info.needed) {
      const loaded = state.byName.get(name);
      if (loaded) { addNeededBy(loaded, object); continue; }
      const found = await findLibrary(state, object, name);
      const same = state.byHostRealPath.get(found.library.hostPath);
      if (same) { state.byName.set(name, same); addNeededBy(same, object); continue; }
      const loadedNow: LoadedObject = { path: found.library.path, space: found.space, info: found.info, loader: object, library: found.library };
      register(state, loadedNow, [name], found.library.hostPath);
      state.libraries.push(found.library);
      queue.push(loadedNow);
    }
  }
}

function register(state: State, object: LoadedObject, names: string[], hostRealPath: string): void {
  for (const name of [...names, object.info.soname]) if (name) state.byName.set(name, object);
  state.byHostRealPath.set(hostRealPath, object);
}

function addNeededBy(loaded: LoadedObject, object: LoadedObject): void {
  if (loaded.library && !loaded.library.neededBy.includes(object.path)) loaded.library.neededBy.push(object.path);
}

interface Found { library: ClosureLibrary; space: Space; info: ElfInfo }

async function findLibrary(state: State, object: LoadedObject, name: string): Promise<Found> {
  // ld.so(8): a name with a slash is a path (after token expansion), not a search.
  const isPath = name.includes('/');
  const candidates = isPath
    ? expandTokens(state, object, [name], 'path').map((c) => ({ ...c, path: c.dir }))
    : searchDirs(state, object).map((d) => ({ ...d, path: `${d.dir}/${name}` }));
  for (const candidate of candidates) {
    const found = await tryCandidate(state, candidate, name, object.path);
    if (found) return found;
  }
  const searched = candidates.map((c) => hostPathOf(rootOf(state, c.space), isPath ? c.path : c.dir));
  throw notFound(state, name, hostPathOf(rootOf(state, object.space), object.path), searched, 'the shared library');
}

// ld.so(8) order: DT_RPATH of the object and of each object up its loader chain (only while the
// object has no DT_RUNPATH; LD_LIBRARY_PATH is skipped, the image has no environment), then the
// object's own DT_RUNPATH, then the ld.so.cache directories (with extraLibraryDirs after them),
// then the defaults.
function searchDirs(state: State, object: LoadedObject): SearchDir[] {
  const dirs: SearchDir[] = [];
  if (object.info.runpath.length === 0) {
    // glibc drops DT_RPATH of any object that also has DT_RUNPATH (get-dynamic-info.h).
    for (let l: LoadedObject | undefined = object; l; l = l.loader) {
      if (l.info.runpath.length === 0) dirs.push(...expandTokens(state, l, l.info.rpath, 'rpath'));
    }
  }
  dirs.push(...expandTokens(state, object, object.info.runpath, 'runpath'), ...state.systemDirs);
  return dirs;
}

// $ORIGIN is the directory of the object as it was opened (glibc dl-object.c does not resolve
// symlinks); a path built from it stays in that object's namespace. Relative results are dropped:
// ld.so would read them against the working directory, which the image does not fix.
function expandTokens(state: State, object: LoadedObject, entries: string[], via: FoundVia): SearchDir[] {
  const values: Record<string, string> = { ORIGIN: posix.dirname(object.path), ...state.tokens };
  return entries.flatMap((entry) => {
    const usesOrigin = /\$(\{ORIGIN\}|ORIGIN\b)/.test(entry);
    const dir = entry.replace(/\$\{(ORIGIN|LIB|PLATFORM)\}|\$(ORIGIN|LIB|PLATFORM)\b/g, (_m, a?: string, b?: string) => values[(a ?? b) as string] as string);
    if (!dir.startsWith('/')) return [];
    return [{ dir: dir.replace(/\/+$/, '') || '/', space: usesOrigin ? object.space : 'sysroot', via }];
  });
}

function rootOf(state: State, space: Space): string {
  return space === 'host' ? '/' : state.sysroot;
}

async function tryCandidate(state: State, candidate: SearchDir & { path: string }, name: string, neededBy: string): Promise<Found | undefined> {
  const { path, space, via } = candidate;
  const root = rootOf(state, space);
  const resolved = await resolveRooted(root, path);
  if (!resolved) return undefined;
  const hostPath = hostPathOf(root, resolved.realPath);
  if (!(await stat(hostPath)).isFile()) return undefined;
  let info: ElfInfo;
  try {
    info = await readElfFile(hostPath);
  } catch (error) {
    // ld.so skips a file of another class or machine and keeps searching (it would load a 32-bit
    // libc from lib32/ for a 32-bit program); anything else is a broken file and stops the load.
    if (error instanceof SeabuildError && error.code.startsWith('ELF_UNSUPPORTED_')) return undefined;
    throw error;
  }
  if (info.machine !== state.machine) return undefined;
  const library: ClosureLibrary = {
    soname: info.soname ?? name,
    path: posix.normalize(path),
    realPath: resolved.realPath,
    hostPath,
    system: space === 'sysroot',
    foundVia: via,
    neededBy: [neededBy],
    symlinks: resolved.symlinks,
  };
  return { library, space, info };
}

function notFound(state: State, name: string, neededBy: string, searched: string[], what: string): SeabuildError {
  const where = state.sysroot === '/' ? '' : ` (sysroot ${state.sysroot})`;
  return new SeabuildError({
    code: 'LIB_NOT_FOUND',
    message: `${what} ${name}, needed by ${neededBy}, was not found${where}; searched: ${[...new Set(searched)].join(', ')}`,
    file: neededBy,
    fix: `Install the package that provides ${name}, or add the directory that holds it with extraLibraryDirs.`,
  });
}
