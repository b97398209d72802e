// File descriptors for tree files: open/read/fstat/close, for packages that read a header or a
// slice instead of the whole file. Numbers start far above what the kernel hands out.
import type { Hit, Ops } from './fs-patch.ts';
import { fsError } from './fs-errors.ts';

const FIRST_FD = 0x3fff0000;

interface OpenFile { hit: Hit; bytes: Buffer | undefined; position: number }

/** A table of virtual descriptors over `ops`. */
export function createFds(ops: Ops) {
  const open = new Map<number, OpenFile>();
  let next = FIRST_FD;
  const get = (fd: number, syscall: string): OpenFile => {
    const file = open.get(fd);
    if (!file) throw fsError('EBADF', syscall, String(fd));
    return file;
  };
  const table = {
    /** The buffer of the last read, for fs.read's callback (err, bytesRead, buffer). */
    lastBuffer: undefined as Buffer | undefined,
    has: (fd: unknown): boolean => typeof fd === 'number' && open.has(fd),
    open(hit: Hit, flags?: string | number): number {
      if (typeof flags === 'number' ? (flags & 3) !== 0 : /[wa+]/.test(flags ?? 'r')) throw fsError('EROFS', 'open', hit.abs);
      ops.stat(hit);
      const node = hit.node!;
      open.set(next, { hit, bytes: node.type === 'file' ? ops.bytes(hit, 'open') : undefined, position: 0 });
      return next++;
    },
    read(fd: number, buffer: any, offsetOrOptions?: any, length?: number, position?: number | bigint | null): number {
      const file = get(fd, 'read');
      if (!file.bytes) throw fsError('EISDIR', 'read', file.hit.abs);
      let target: Uint8Array = buffer;
      let offset = offsetOrOptions;
      if (!ArrayBuffer.isView(buffer)) ({ buffer: target = Buffer.alloc(16384), offset = 0, length, position } = buffer ?? {});
      else if (typeof offsetOrOptions === 'object' && offsetOrOptions !== null) ({ offset = 0, length, position } = offsetOrOptions);
      offset ??= 0;
      length ??= target.byteLength - offset;
      const from = position === null || position === undefined || Number(position) < 0 ? file.position : Number(position);
      const count = Math.max(0, Math.min(length!, file.bytes.length - from));
      Buffer.from(target.buffer, target.byteOffset, target.byteLength).set(file.bytes.subarray(from, from + count), offset);
      if (position === null || position === undefined || Number(position) < 0) file.position += count;
      table.lastBuffer = target as Buffer;
      return count;
    },
    fstat: (fd: number) => ops.stat(get(fd, 'fstat').hit),
    close(fd: number): void {
      get(fd, 'close');
      open.delete(fd);
    },
    /** fs.promises.open: a FileHandle with the methods packages read through. */
    handle(hit: Hit, flags?: string | number) {
      const fd = table.open(hit, flags);
      return {
        fd,
        read: async (buffer?: any, offset?: any, length?: number, position?: number | null) => {
          const target = ArrayBuffer.isView(buffer) ? buffer : Buffer.alloc(16384);
          const bytesRead = table.read(fd, buffer ?? target, offset, length, position);
          return { bytesRead, buffer: table.lastBuffer };
        },
        readFile: async (options?: any) => ops.readFile(hit, options),
        stat: async () => ops.stat(hit),
        close: async () => table.close(fd),
        [Symbol.asyncDispose]: async () => { if (open.has(fd)) table.close(fd); },
      };
    },
  };
  return table;
}
