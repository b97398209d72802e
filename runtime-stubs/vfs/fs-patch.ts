// The read-only file tree through node:fs: paths under the tree's root are answered from the
// embedded bytes, every other path goes to the real filesystem untouched. Covers the calls packages
// use to find and read their files (issue 7): readFile, exists, stat/lstat, readdir, realpath,
// access, createReadStream, open/read/fstat/close; writes under the root fail with EROFS.
import type { Tree, TreeNode } from './tree.ts';
import { pathArgument } from './tree.ts';
import { fsError, missing, withoutFrames } from './fs-errors.ts';
import { createFds } from './fds.ts';
import { whenLoaded } from './lazy-patches.ts';

const fs = process.getBuiltinModule('node:fs');

/** The bytes of a tree file (shared: callers copy before handing them out). */
export type ReadBytes = (rel: string) => Buffer;

/** A path argument that falls under the root. */
export interface Hit { abs: string; rel: string; node: TreeNode | undefined }

type Fn = (...args: any[]) => any;
const S_IFREG = 0o100000;
const S_IFDIR = 0o040000;

/** Patches node:fs (sync, callback and promise forms) to serve `tree`. */
export function patchFs(tree: Tree, read: ReadBytes): void {
  const locate = (p: unknown): Hit | undefined => {
    const abs = typeof p === 'string' && isNormalAbsolute(p) ? p : pathArgument(p);
    const rel = abs === undefined ? undefined : tree.relative(abs);
    return rel === undefined ? undefined : { abs: abs!, rel, node: tree.lookup(rel) };
  };
  const ops = createOps(tree, read);
  const fds = createFds(ops);
  const virtual: Record<string, Fn> = {
    readFile: ops.readFile, stat: ops.stat, lstat: ops.stat, readdir: ops.readdir, realpath: ops.realpath, access: ops.access,
  };
  for (const [name, op] of Object.entries(virtual)) wrapAll(name, locate, op);
  wrapAll('open', locate, fds.open, fds.handle);
  const realExistsSync = fs.existsSync;
  fs.existsSync = (p: unknown) => { const hit = locate(p); return hit ? hit.node !== undefined : realExistsSync(p as string); };
  const realExists = fs.exists as Fn;
  (fs as any).exists = (p: unknown, cb: Fn) => { const hit = locate(p); if (!hit) return realExists(p, cb); process.nextTick(cb, hit.node !== undefined); };
  for (const name of ['realpathSync', 'realpath'] as const) (fs[name] as any).native = fs[name];
  wrapFdCalls(fds);
  const realCreateReadStream = fs.createReadStream;
  (fs as any).createReadStream = function (p: unknown, options?: any) {
    const hit = locate(p);
    return hit ? readStream(hit, options, ops) : realCreateReadStream.apply(fs, arguments as any);
  };
  for (const name of ['writeFile', 'appendFile', 'mkdir', 'rmdir', 'rm', 'unlink', 'rename', 'symlink', 'link', 'chmod', 'chown', 'utimes', 'truncate', 'lchown', 'lutimes', 'mkdtemp', 'cp']) {
    refuseWrites(name, locate);
  }
  patchCopyFile(locate, ops);
}

/**
 * Whether path.resolve would return `p` unchanged: absolute, no `.`/`..` or empty segment, no trailing
 * slash. Most paths an app hands fs are (express.static joins its root with the URL), and resolving
 * them was 2 % of a server's CPU on a miss per request (issue 24). A dotfile takes the long way.
 */
function isNormalAbsolute(p: string): boolean {
  return p.charCodeAt(0) === 47 && !p.includes('//') && !p.includes('/.') && (p.length === 1 || p.charCodeAt(p.length - 1) !== 47);
}

/** The virtual operations, synchronous; each throws like its fs counterpart. */
export function createOps(tree: Tree, read: ReadBytes) {
  const { mtimeMs } = tree.manifest;
  const stats = (node: TreeNode, ino: number): import('node:fs').Stats => {
    const isFile = node.type === 'file';
    const size = isFile ? node.record.sizeBytes : 4096;
    return Object.assign(Object.create(fs.Stats.prototype), {
      dev: 0x5ea, ino, mode: isFile ? S_IFREG | node.record.mode : S_IFDIR | 0o755, nlink: 1,
      uid: process.getuid?.() ?? 0, gid: process.getgid?.() ?? 0, rdev: 0, size, blksize: 4096, blocks: Math.ceil(size / 512),
      atimeMs: mtimeMs, mtimeMs, ctimeMs: mtimeMs, birthtimeMs: mtimeMs,
      atime: new Date(mtimeMs), mtime: new Date(mtimeMs), ctime: new Date(mtimeMs), birthtime: new Date(mtimeMs),
    });
  };
  const need = (hit: Hit, syscall: string): TreeNode => {
    if (!hit.node) throw missing(tree, syscall, hit.abs, hit.rel);
    return hit.node;
  };
  const bytes = (hit: Hit, syscall: string): Buffer => {
    const node = need(hit, syscall);
    if (node.type === 'dir') throw fsError('EISDIR', 'read', hit.abs);
    return read(node.rel);
  };
  return {
    bytes,
    readFile(hit: Hit, options?: any): Buffer | string {
      const flag = typeof options === 'object' && options ? String(options.flag ?? 'r') : 'r';
      if (/[wa+]/.test(flag)) throw fsError('EROFS', 'open', hit.abs);
      const copy = Buffer.from(bytes(hit, 'open'));
      const encoding = typeof options === 'string' ? options : options?.encoding;
      return encoding ? copy.toString(encoding) : copy;
    },
    stat(hit: Hit, options?: any): import('node:fs').Stats | undefined {
      if (!hit.node && options?.throwIfNoEntry === false) return undefined;
      return stats(need(hit, 'stat'), inodeOf(hit.rel));
    },
    readdir(hit: Hit, options?: any): Array<string | import('node:fs').Dirent> {
      const node = need(hit, 'scandir');
      if (node.type !== 'dir') throw fsError('ENOTDIR', 'scandir', hit.abs);
      const names = options?.recursive ? listRecursive(tree, node.rel) : node.names;
      if (!options?.withFileTypes) return typeof options === 'object' && options?.encoding === 'buffer' ? names.map((n) => Buffer.from(n) as any) : names;
      return names.map((name) => {
        const full = node.rel === '' ? name : `${node.rel}/${name}`;
        const type = tree.lookup(full)?.type === 'dir' ? 2 : 1; // UV_DIRENT_DIR, UV_DIRENT_FILE
        const at = name.lastIndexOf('/');
        const parent = at < 0 ? hit.abs : `${hit.abs}/${name.slice(0, at)}`;
        return new (fs.Dirent as any)(name.slice(at + 1), type, parent);
      });
    },
    realpath(hit: Hit): string {
      need(hit, 'realpath');
      return hit.abs;
    },
    access(hit: Hit, mode?: number): void {
      need(hit, 'access');
      if (mode !== undefined && (mode & fs.constants.W_OK)) throw fsError('EROFS', 'access', hit.abs);
    },
  };
}

/** The virtual operations' type, for the fd table. */
export type Ops = ReturnType<typeof createOps>;

/** A stable inode number per path (FNV-1a), so tools that compare dev+ino see distinct files. */
function inodeOf(rel: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < rel.length; i++) hash = Math.imul(hash ^ rel.charCodeAt(i), 0x01000193) >>> 0;
  return hash + 1;
}

function listRecursive(tree: Tree, rel: string): string[] {
  const out: string[] = [];
  const walk = (dir: string, prefix: string): void => {
    const node = tree.lookup(dir);
    if (node?.type !== 'dir') return;
    for (const name of node.names) {
      out.push(prefix + name);
      walk(dir === '' ? name : `${dir}/${name}`, `${prefix}${name}/`);
    }
  };
  walk(rel, '');
  return out;
}

/** Replaces fs.<name>Sync, fs.<name> (callback) and fs.promises.<name> with versions that serve hits. */
function wrapAll(name: string, locate: (p: unknown) => Hit | undefined, op: Fn, promiseOp: Fn = op): void {
  const f = fs as any;
  const sync = f[`${name}Sync`] as Fn;
  f[`${name}Sync`] = function (p: unknown, ...rest: any[]) {
    const hit = locate(p);
    return hit ? op(hit, ...rest) : sync.call(fs, p, ...rest);
  };
  const callback = f[name] as Fn;
  f[name] = function (p: unknown, ...rest: any[]) {
    const hit = locate(p);
    if (!hit) return callback.call(fs, p, ...rest);
    const cb = rest.pop() as Fn;
    let result: unknown;
    try { result = withoutFrames(() => op(hit, ...rest)); } catch (error) { process.nextTick(cb, error); return; }
    process.nextTick(cb, null, result);
  };
  onPromises((promises) => {
    const promise = promises[name] as Fn | undefined;
    if (!promise) return;
    promises[name] = async function (p: unknown, ...rest: any[]) {
      const hit = locate(p);
      return hit ? withoutFrames(() => promiseOp(hit, ...rest)) : promise.call(promises, p, ...rest);
    };
  });
}

/** Patches fs.promises (node:fs/promises) once the app loads it: loading it costs every start ~2.6 ms (it pulls in readline). */
export function onPromises(patch: (promises: Record<string, Fn>) => void): void {
  whenLoaded('fs/promises', () => patch(fs.promises as unknown as Record<string, Fn>));
}

function wrapFdCalls(fds: ReturnType<typeof createFds>): void {
  const f = fs as any;
  for (const name of ['read', 'fstat', 'close']) {
    const sync = f[`${name}Sync`] as Fn;
    const op = (fds as any)[name] as Fn;
    f[`${name}Sync`] = function (fd: number, ...rest: any[]) { return fds.has(fd) ? op(fd, ...rest) : sync.call(fs, fd, ...rest); };
    const callback = f[name] as Fn;
    f[name] = function (fd: number, ...rest: any[]) {
      if (!fds.has(fd)) return callback.call(fs, fd, ...rest);
      const cb = rest.pop() as Fn;
      let result: any;
      try { result = op(fd, ...rest); } catch (error) { process.nextTick(cb, error); return; }
      // fs.read's callback gets (err, bytesRead, buffer); the others (err, value).
      if (name === 'read') process.nextTick(cb, null, result, fds.lastBuffer);
      else process.nextTick(cb, null, result);
    };
  }
}

function readStream(hit: Hit, options: any, ops: Ops) {
  const opts = typeof options === 'string' ? { encoding: options } : (options ?? {});
  let bytes: Buffer | undefined;
  let failure: unknown;
  try { bytes = withoutFrames(() => ops.bytes(hit, 'open')); } catch (error) { failure = error; }
  const start = opts.start ?? 0;
  const end = Math.min(opts.end ?? Infinity, (bytes?.length ?? 0) - 1);
  const chunkBytes = opts.highWaterMark ?? 64 * 1024;
  let position = start;
  const { Readable } = process.getBuiltinModule('node:stream');
  const stream = new Readable({
    read() {
      if (failure) { this.destroy(failure as Error); return; }
      if (position > end) { this.push(null); return; }
      const next = Math.min(position + chunkBytes, end + 1);
      this.push(Buffer.from(bytes!.subarray(position, next)));
      (stream as any).bytesRead = next - start;
      position = next;
    },
  });
  if (opts.encoding) stream.setEncoding(opts.encoding);
  Object.assign(stream, { path: hit.abs, bytesRead: 0, pending: false });
  return stream;
}

function refuseWrites(name: string, locate: (p: unknown) => Hit | undefined): void {
  const f = fs as any;
  const underRoot = (args: any[]): Hit | undefined => locate(args[0]) ?? (['rename', 'symlink', 'link', 'cp'].includes(name) ? locate(args[1]) : undefined);
  const sync = f[`${name}Sync`] as Fn | undefined;
  if (sync) f[`${name}Sync`] = function (...args: any[]) { const hit = underRoot(args); if (hit) throw fsError('EROFS', name, hit.abs); return sync.apply(fs, args); };
  const callback = f[name] as Fn | undefined;
  if (callback) f[name] = function (...args: any[]) { const hit = underRoot(args); if (!hit) return callback.apply(fs, args); process.nextTick(args.at(-1), fsError('EROFS', name, hit.abs)); };
  onPromises((promises) => {
    const promise = promises[name];
    if (promise) promises[name] = async function (...args: any[]) { const hit = underRoot(args); if (hit) throw fsError('EROFS', name, hit.abs); return promise.apply(promises, args); };
  });
}

/** copyFile from the tree to a real path writes the embedded bytes; into the tree it is refused. */
function patchCopyFile(locate: (p: unknown) => Hit | undefined, ops: Ops): void {
  const f = fs as any;
  const copy = (src: Hit | undefined, dest: unknown, mode: number | undefined, real: () => any) => {
    const destHit = locate(dest);
    if (destHit) throw fsError('EROFS', 'copyfile', destHit.abs);
    if (!src) return real();
    fs.writeFileSync(dest as string, ops.bytes(src, 'copyfile'), { flag: mode && (mode & fs.constants.COPYFILE_EXCL) ? 'wx' : 'w' });
  };
  const sync = f.copyFileSync as Fn;
  f.copyFileSync = (src: unknown, dest: unknown, mode?: number) => copy(locate(src), dest, mode, () => sync.call(fs, src, dest, mode));
  const callback = f.copyFile as Fn;
  f.copyFile = (src: unknown, dest: unknown, ...rest: any[]) => {
    const cb = rest.pop() as Fn;
    const srcHit = locate(src);
    if (!srcHit && !locate(dest)) return callback.call(fs, src, dest, ...rest, cb);
    try { copy(srcHit, dest, rest[0], () => undefined); } catch (error) { process.nextTick(cb, error); return; }
    process.nextTick(cb, null);
  };
  onPromises((promises) => {
    const promise = promises.copyFile!;
    promises.copyFile = async (src: unknown, dest: unknown, mode?: number) => copy(locate(src), dest, mode, () => promise.call(promises, src, dest, mode));
  });
}
