// The FROM-scratch filesystem: the executable, exactly its shared libraries and loader, a non-root
// user, name-service config, CA certificates and /tmp. Nothing else: no shell, no package manager.
import { statSync } from 'node:fs';
import { SeabuildError } from '../errors.ts';
import { normalizeEntries, sourceUnreadable } from './entries.ts';
import type { Rootfs, RootfsEntry } from '../rootfs/index.ts';

/** The uid and gid of `nonroot`, as in distroless images. */
export const NONROOT_ID = 65532;

/** Where Debian's ca-certificates writes the bundle, which Go, OpenSSL and Node (--use-openssl-ca) read. */
export const CA_BUNDLE_PATH = '/etc/ssl/certs/ca-certificates.crt';

/** A library or the loader as `resolveClosure` returns it. */
export interface RootfsLibrary {
  /** Where the loader looks for it (e.g. `/lib/x86_64-linux-gnu/libc.so.6`); reached through `symlinks`. */
  path: string;
  /** Where the file itself goes in the image: `path` with every symlink followed. */
  realPath: string;
  /** Where to read its bytes on the build host; default `realPath` (differs under a sysroot). */
  hostPath?: string;
}

/** What goes into the rootfs; `resolveClosure` supplies the libraries, the loader and their links. */
export interface RootfsInput {
  /** The executable on the build host. */
  executablePath: string;
  /** Its path in the image; default `/app`. */
  appPath?: string;
  libraries: readonly RootfsLibrary[];
  /**
   * Every symlink crossed from a library's `path` to its `realPath`, directory links included
   * (`/lib → usr/lib` on merged-/usr hosts), each at a path whose parents are real directories.
   */
  symlinks: ReadonlyArray<{ path: string; target: string }>;
  /** The dynamic loader (PT_INTERP), e.g. `/lib64/ld-linux-x86-64.so.2`. */
  interpreter?: RootfsLibrary;
  /** The host CA bundle; default /etc/ssl/certs/ca-certificates.crt. */
  caBundlePath?: string;
  /** More files for the app layer (their host sources are read when the layer is written). */
  extraAppFiles?: readonly RootfsEntry[];
  /** Put the executable in a `runtime` layer of its own, between system and app (the split layout: node). */
  executableInOwnLayer?: boolean;
  /** With executableInOwnLayer: files for a `packages` layer between runtime and app (the laid-out package tree). */
  packageFiles?: readonly RootfsEntry[];
}

/** Lays out the rootfs as two layers: `system` (libraries, loader, /etc, /tmp, /home) and `app`. */
export function layoutRootfs(input: RootfsInput): Rootfs {
  const system = new Map<string, RootfsEntry>();
  const libraries = input.interpreter ? [input.interpreter, ...input.libraries] : input.libraries;
  for (const library of libraries) add(system, hostFile(library.realPath, library.hostPath ?? library.realPath));
  for (const link of input.symlinks) add(system, { type: 'symlink', path: link.path, target: link.target, uid: 0, gid: 0 });
  for (const entry of systemFiles(input.caBundlePath ?? CA_BUNDLE_PATH)) add(system, entry);
  const systemEntries = normalizeEntries([...system.values()]);
  const executable = hostFile(input.appPath ?? '/app', input.executablePath, 0o755);
  if (input.executableInOwnLayer) {
    const runtimeEntries = normalizeEntries([executable], systemEntries);
    const packageEntries = normalizeEntries([...(input.packageFiles ?? [])], [...systemEntries, ...runtimeEntries]);
    const appEntries = normalizeEntries([...(input.extraAppFiles ?? [])], [...systemEntries, ...runtimeEntries, ...packageEntries]);
    return { layers: [
      { name: 'system', entries: systemEntries }, { name: 'runtime', entries: runtimeEntries },
      ...(packageEntries.length > 0 ? [{ name: 'packages' as const, entries: packageEntries }] : []),
      { name: 'app', entries: appEntries },
    ] };
  }
  const appEntries = normalizeEntries([executable, ...(input.extraAppFiles ?? [])], systemEntries);
  return { layers: [{ name: 'system', entries: systemEntries }, { name: 'app', entries: appEntries }] };
}

/** /etc files, the CA bundle, /tmp and the nonroot home (distroless's layout and modes). */
function systemFiles(caBundlePath: string): RootfsEntry[] {
  const id = NONROOT_ID;
  return [
    textFile('/etc/passwd', `root:x:0:0:root:/root:/sbin/nologin\nnobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin\nnonroot:x:${id}:${id}:nonroot:/home/nonroot:/sbin/nologin\n`),
    textFile('/etc/group', `root:x:0:\nnobody:x:65534:\nnonroot:x:${id}:\n`),
    // glibc's getaddrinfo and getpwnam read this; without it glibc falls back to compiled-in defaults.
    textFile('/etc/nsswitch.conf', 'passwd: files\ngroup: files\nhosts: files dns\n'),
    // Container engines mount their own /etc/hosts over this one; a runtime that does not (the
    // smoke run's chroot, runc from a bare bundle) still resolves `localhost`, which servers listen on.
    textFile('/etc/hosts', '127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n'),
    caBundle(caBundlePath),
    { type: 'dir', path: '/tmp', mode: 0o1777, uid: 0, gid: 0 },
    { type: 'dir', path: '/home', mode: 0o755, uid: 0, gid: 0 },
    { type: 'dir', path: '/home/nonroot', mode: 0o700, uid: id, gid: id },
  ];
}

function caBundle(hostPath: string): RootfsEntry {
  try {
    return hostFile(CA_BUNDLE_PATH, hostPath, 0o644);
  } catch (cause) {
    throw new SeabuildError({
      code: 'CA_BUNDLE_MISSING',
      message: `no CA certificate bundle at ${hostPath}`,
      file: hostPath,
      fix: 'install the ca-certificates package, or point the build at a bundle (caBundlePath)',
      cause,
    });
  }
}

function hostFile(path: string, hostPath: string, mode?: number): RootfsEntry {
  let stats;
  try {
    stats = statSync(hostPath);
  } catch (cause) {
    throw sourceUnreadable(hostPath, cause);
  }
  return { type: 'file', path, mode: mode ?? stats.mode & 0o7777, uid: 0, gid: 0, source: { path: hostPath }, sizeBytes: stats.size };
}

function textFile(path: string, text: string): RootfsEntry {
  const content = Buffer.from(text);
  return { type: 'file', path, mode: 0o644, uid: 0, gid: 0, source: { content }, sizeBytes: content.byteLength };
}

/** Adds an entry; the same symlink twice is fine (two libraries behind /lib), anything else twice is not. */
function add(entries: Map<string, RootfsEntry>, entry: RootfsEntry): void {
  const existing = entries.get(entry.path);
  if (existing === undefined) { entries.set(entry.path, entry); return; }
  if (sameEntry(existing, entry)) return;
  throw new SeabuildError({
    code: 'ROOTFS_CONFLICT',
    message: `two different entries for ${entry.path}: a ${existing.type} and a ${entry.type}`,
    file: entry.path,
    fix: 'give each path in the image one source',
  });
}

function sameEntry(a: RootfsEntry, b: RootfsEntry): boolean {
  if (a.type === 'symlink' && b.type === 'symlink') return a.target === b.target;
  if (a.type === 'file' && b.type === 'file') return 'path' in a.source && 'path' in b.source && a.source.path === b.source.path;
  return false;
}
