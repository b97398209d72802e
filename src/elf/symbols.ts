// The names an ELF shared object defines in its dynamic symbol table (.dynsym): what dlopen() can
// find in it. A Node addon announces how it registers there: `napi_register_module_v1` (N-API, any
// Node) or `node_register_module_v<NODE_MODULE_VERSION>` (V8's C++ API, one Node ABI). Read through
// the section headers (SHT_DYNSYM and its linked string table), which every linker writes and
// `strip` keeps. Layouts: System V gABI, "Sections" and "Symbol Table" (ELF-64).
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { SeabuildError } from '../errors.ts';

const SHT_DYNSYM = 11;
const SECTION_BYTES = 64;
const SYMBOL_BYTES = 24;
const SHN_UNDEF = 0;
// A dynamic symbol table of an addon has thousands of entries at most; far beyond this is corruption.
const MAX_TABLE_BYTES = 64 << 20;

/** Names of the symbols `path` defines (not the ones it imports), in table order. */
export function readDefinedDynamicSymbols(path: string): string[] {
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    const read = (offset: number, length: number): Buffer => {
      if (offset < 0 || length < 0 || length > MAX_TABLE_BYTES || offset + length > size) throw corrupt(path, `needs bytes ${offset}..${offset + length}, file has ${size}`);
      const buffer = Buffer.alloc(length);
      readSync(fd, buffer, 0, length, offset);
      return buffer;
    };
    const header = read(0, 64);
    if (header.readUInt32BE(0) !== 0x7f454c46 || header[4] !== 2 || header[5] !== 1) throw corrupt(path, 'not a 64-bit little-endian ELF file');
    const shoff = Number(header.readBigUInt64LE(40));
    const shentsize = header.readUInt16LE(58);
    const shnum = header.readUInt16LE(60);
    if (shoff === 0 || shnum === 0) return [];
    if (shentsize < SECTION_BYTES) throw corrupt(path, `e_shentsize is ${shentsize}`);
    const sections = read(shoff, shnum * shentsize);
    const section = (i: number) => ({
      type: sections.readUInt32LE(i * shentsize + 4),
      offset: Number(sections.readBigUInt64LE(i * shentsize + 24)),
      size: Number(sections.readBigUInt64LE(i * shentsize + 32)),
      link: sections.readUInt32LE(i * shentsize + 40),
    });
    const names: string[] = [];
    for (let i = 0; i < shnum; i++) {
      const symtab = section(i);
      if (symtab.type !== SHT_DYNSYM || symtab.link >= shnum) continue;
      const strtab = section(symtab.link);
      const symbols = read(symtab.offset, symtab.size);
      const strings = read(strtab.offset, strtab.size);
      for (let at = 0; at + SYMBOL_BYTES <= symbols.length; at += SYMBOL_BYTES) {
        const nameAt = symbols.readUInt32LE(at);
        if (symbols.readUInt16LE(at + 6) === SHN_UNDEF || nameAt === 0 || nameAt >= strings.length) continue;
        const end = strings.indexOf(0, nameAt);
        names.push(strings.toString('latin1', nameAt, end < 0 ? strings.length : end));
      }
    }
    return names;
  } finally {
    closeSync(fd);
  }
}

/** The Node ABI an addon was built for, from its symbols: `napi`, a NODE_MODULE_VERSION, or undefined (no registration symbol). */
export function addonAbi(path: string): 'napi' | number | undefined {
  const names = readDefinedDynamicSymbols(path);
  if (names.includes('napi_register_module_v1')) return 'napi';
  for (const name of names) {
    const m = /^node_register_module_v(\d+)$/.exec(name);
    if (m) return Number(m[1]);
  }
  return undefined;
}

function corrupt(file: string, detail: string): SeabuildError {
  return new SeabuildError({ code: 'ELF_CORRUPT', message: `${file} is not a valid ELF file: ${detail}`, file, fix: 'Reinstall the package that ships this file; it may be truncated.' });
}
