// Native files: which carried files are ELF objects, and the libraries an addon loads through its
// own RPATH/RUNPATH `$ORIGIN` entries (sharp's `$ORIGIN/../../sharp-libvips-linux-x64/lib`). Those
// are carried at the same relative place, so ld.so(8) finds them wherever the tree is laid out.
// System libraries (libc, libstdc++, libresolv) are not carried: the image's closure adds them.
import { existsSync, openSync, readSync, closeSync, realpathSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { readElfFile, type ElfInfo } from '../../elf/index.ts';
import type { Machine } from '../../elf/index.ts';
import type { PackageFileKind } from './types.ts';

/** True when the file starts with the ELF magic. */
export function isElf(path: string): boolean {
  const fd = openSync(path, 'r');
  try {
    const head = Buffer.alloc(4);
    return readSync(fd, head, 0, 4, 0) === 4 && head.readUInt32BE(0) === 0x7f454c46;
  } finally {
    closeSync(fd);
  }
}

/** The kind of an ELF file by its name and header: `.node` addon, shared library, or executable. */
export function elfKind(path: string, info: ElfInfo): PackageFileKind {
  if (path.endsWith('.node')) return 'addon';
  return info.type === 'exec' || (info.interpreter !== undefined && !/\.so(\.|$)/.test(path)) ? 'executable' : 'library';
}

/** Reads an ELF file and says whether it runs on `machine` with glibc, as the official node does
 * (prebuilds for other platforms, and linux-musl ones, which need libc.musl-*.so.1, are skipped). */
export async function readNative(path: string, machine: Machine): Promise<ElfInfo | undefined> {
  try {
    const info = await readElfFile(path);
    const musl = info.needed.some((n) => n.startsWith('libc.musl-')) || /ld-musl-/.test(info.interpreter ?? '');
    return info.machine === machine && !musl ? info : undefined;
  } catch {
    return undefined; // a .node for another OS (Mach-O, PE) or a corrupt file
  }
}

/** The libraries `file` needs that ld.so would find through its `$ORIGIN` search paths, as host paths. */
export function originDependencies(file: string, info: ElfInfo): string[] {
  // ld.so(8): DT_RPATH is used only when there is no DT_RUNPATH.
  const dirs = (info.runpath.length > 0 ? info.runpath : info.rpath).filter((d) => /\$(ORIGIN|\{ORIGIN\})/.test(d));
  const origin = dirname(realpathSync(file));
  const found: string[] = [];
  for (const name of info.needed) {
    for (const dir of dirs) {
      const candidate = resolve(join(dir.replace(/\$(ORIGIN|\{ORIGIN\})/g, origin), name));
      if (existsSync(candidate)) { found.push(candidate); break; }
    }
  }
  return found;
}
