// A small ELF reader: the header, the program headers, PT_INTERP and the PT_DYNAMIC strings.
// It works from program headers only (not sections), so stripped files read the same; and it reads
// only the bytes it needs, so the ~110 MB node binary costs a few kilobytes of I/O.
// Layouts follow the System V gABI (ELF-64 object file format, "Program Header", "Dynamic Section").

import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { SeabuildError, type ErrorCode } from '../errors.ts';
import type { Machine } from './types.ts';

/** What the ELF header's e_type says the file is. */
export type ElfType = 'exec' | 'dyn' | 'rel' | 'core';

/** What seabuild needs to know about one ELF file; a plain record that resolves nothing. */
export interface ElfInfo {
  class: 64;
  endianness: 'little';
  machine: Machine;
  type: ElfType;
  /** PT_INTERP: the dynamic loader the kernel starts, e.g. `/lib64/ld-linux-x86-64.so.2`. */
  interpreter?: string;
  /** DT_NEEDED entries, in file order (which is the order ld.so loads them). */
  needed: string[];
  soname?: string;
  /** DT_RPATH split on ':', unexpanded (`$ORIGIN` left as written). */
  rpath: string[];
  /** DT_RUNPATH split on ':', unexpanded. */
  runpath: string[];
}

/** Random access to the bytes of one file; `read` throws ELF_CORRUPT past the end. */
interface ByteSource {
  sizeBytes: number;
  read(offset: number, length: number): Uint8Array;
}

const MACHINES: Record<number, Machine> = { 62: 'x86_64', 183: 'aarch64' };
// Names for the e_machine values a user is likely to hand us by mistake (gABI table "e_machine").
const OTHER_MACHINE_NAMES: Record<number, string> = {
  3: 'i386', 8: 'MIPS', 20: 'PowerPC', 21: 'PowerPC64', 22: 'S/390', 40: 'ARM (32-bit)', 243: 'RISC-V',
};
const TYPES: Record<number, ElfType> = { 1: 'rel', 2: 'exec', 3: 'dyn', 4: 'core' };
const PT_LOAD = 1;
const PT_DYNAMIC = 2;
const PT_INTERP = 3;
const PN_XNUM = 0xffff;
const DT = { NULL: 0, NEEDED: 1, STRTAB: 5, STRSZ: 10, SONAME: 14, RPATH: 15, RUNPATH: 29 } as const;
const HEADER_BYTES = 64;
const PHDR_BYTES = 56;
const DYN_ENTRY_BYTES = 16;
// A dynamic section holds a few dozen entries; anything near this size is corrupt, not big.
const MAX_DYNAMIC_BYTES = 1 << 20;

interface Segment { type: number; offset: number; vaddr: number; fileSize: number }

/** Reads an ELF file that is already in memory. `file` names it in errors. */
export function readElf(bytes: Uint8Array, file: string): ElfInfo {
  return parseElf({
    sizeBytes: bytes.length,
    read: (offset, length) => {
      if (offset + length > bytes.length) throw corrupt(file, `needs bytes ${offset}..${offset + length}, file has ${bytes.length}`);
      return bytes.subarray(offset, offset + length);
    },
  }, file);
}

/** Reads the headers of an ELF file on disk without loading the whole file. */
export async function readElfFile(path: string): Promise<ElfInfo> {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (cause) {
    throw new SeabuildError({ code: 'ELF_READ_FAILED', message: `cannot open ${path}: ${(cause as Error).message}`, file: path, cause });
  }
  // Synchronous reads on purpose: one parser serves both sources, and the few small reads
  // (header, program headers, dynamic section, a handful of strings) take microseconds.
  try {
    const sizeBytes = fstatSync(fd).size;
    return parseElf({
      sizeBytes,
      read: (offset, length) => {
        if (offset + length > sizeBytes) throw corrupt(path, `needs bytes ${offset}..${offset + length}, file has ${sizeBytes}`);
        const buffer = Buffer.alloc(length);
        readSync(fd, buffer, 0, length, offset);
        return buffer;
      },
    }, path);
  } finally {
    closeSync(fd);
  }
}

/** Throws ELF_WRONG_MACHINE unless `info` is for the `expected` machine. */
export function assertMachine(info: ElfInfo, expected: Machine, file: string): void {
  if (info.machine === expected) return;
  throw new SeabuildError({
    code: 'ELF_WRONG_MACHINE',
    message: `${file} is built for ${info.machine}, but the image is for ${expected}`,
    file,
    fix: `Use the ${expected} build of this file, or build the image for ${info.machine}.`,
  });
}

function parseElf(source: ByteSource, file: string): ElfInfo {
  const header = parseHeader(source, file);
  const segments = readSegments(source, header, file);
  const interpSegment = segments.find((s) => s.type === PT_INTERP);
  const info: ElfInfo = {
    class: 64, endianness: 'little', machine: header.machine, type: header.type, needed: [], rpath: [], runpath: [],
  };
  if (interpSegment) info.interpreter = decodeCString(source.read(interpSegment.offset, interpSegment.fileSize));
  const dynamicSegment = segments.find((s) => s.type === PT_DYNAMIC);
  if (dynamicSegment) Object.assign(info, readDynamicStrings(source, dynamicSegment, segments, file));
  return info;
}

interface Header { type: ElfType; machine: Machine; phoff: number; phentsize: number; phnum: number }

function parseHeader(source: ByteSource, file: string): Header {
  const magic = source.read(0, Math.min(4, source.sizeBytes));
  if (magic.length < 4 || magic[0] !== 0x7f || magic[1] !== 0x45 || magic[2] !== 0x4c || magic[3] !== 0x46) {
    throw new SeabuildError({
      code: 'ELF_NOT_ELF',
      message: `${file} is not an ELF file (it starts with ${hex(magic)}, not 7f 45 4c 46)`,
      file,
      fix: 'Give seabuild a Linux executable or shared library (the node binary, a native addon .node file, a .so).',
    });
  }
  const ident = source.read(0, Math.min(HEADER_BYTES, source.sizeBytes));
  if (ident[4] === 1) throw unsupported(file, 'ELF_UNSUPPORTED_CLASS', 'a 32-bit ELF file', 'Use the 64-bit build of this file.');
  if (ident[4] !== 2) throw corrupt(file, `EI_CLASS is ${ident[4]}`);
  if (ident[5] === 2) throw unsupported(file, 'ELF_UNSUPPORTED_ENDIANNESS', 'a big-endian ELF file', 'Use the little-endian x86_64 or aarch64 build of this file.');
  if (ident[5] !== 1) throw corrupt(file, `EI_DATA is ${ident[5]}`);
  const view = viewOf(source.read(0, HEADER_BYTES));
  const eType = view.getUint16(16, true);
  const eMachine = view.getUint16(18, true);
  const type = TYPES[eType];
  if (!type) throw corrupt(file, `e_type is ${eType}`);
  const machine = MACHINES[eMachine];
  if (!machine) {
    const name = OTHER_MACHINE_NAMES[eMachine] ?? 'an unknown machine';
    throw unsupported(file, 'ELF_UNSUPPORTED_MACHINE', `an ELF file for ${name} (e_machine ${eMachine})`, 'Use the x86_64 or aarch64 build of this file.');
  }
  const phoff = toNumber(view.getBigUint64(32, true), file, 'e_phoff');
  const phentsize = view.getUint16(54, true);
  let phnum = view.getUint16(56, true);
  // gABI: with more than 0xfffe program headers, e_phnum is PN_XNUM and the count is in section 0's sh_info.
  if (phnum === PN_XNUM) phnum = readExtendedPhnum(source, view, file);
  if (phnum > 0 && phentsize < PHDR_BYTES) throw corrupt(file, `e_phentsize is ${phentsize}`);
  return { type, machine, phoff, phentsize, phnum };
}

function readExtendedPhnum(source: ByteSource, header: DataView, file: string): number {
  const shoff = toNumber(header.getBigUint64(40, true), file, 'e_shoff');
  return viewOf(source.read(shoff, 64)).getUint32(44, true);
}

function readSegments(source: ByteSource, header: Header, file: string): Segment[] {
  if (header.phnum === 0) return [];
  const table = viewOf(source.read(header.phoff, header.phnum * header.phentsize));
  const segments: Segment[] = [];
  for (let i = 0; i < header.phnum; i += 1) {
    const at = i * header.phentsize;
    segments.push({
      type: table.getUint32(at, true),
      offset: toNumber(table.getBigUint64(at + 8, true), file, 'p_offset'),
      vaddr: toNumber(table.getBigUint64(at + 16, true), file, 'p_vaddr'),
      fileSize: toNumber(table.getBigUint64(at + 32, true), file, 'p_filesz'),
    });
  }
  return segments;
}

type DynamicStrings = Pick<ElfInfo, 'needed' | 'soname' | 'rpath' | 'runpath'>;

function readDynamicStrings(source: ByteSource, dynamic: Segment, segments: Segment[], file: string): DynamicStrings {
  if (dynamic.fileSize > MAX_DYNAMIC_BYTES) throw corrupt(file, `PT_DYNAMIC is ${dynamic.fileSize} bytes`);
  const entries = readDynamicEntries(viewOf(source.read(dynamic.offset, dynamic.fileSize)), file);
  const strtabAddress = entries.find((e) => e.tag === DT.STRTAB)?.value;
  const strtabBytes = entries.find((e) => e.tag === DT.STRSZ)?.value;
  const wanted = entries.filter((e) => e.tag === DT.NEEDED || e.tag === DT.SONAME || e.tag === DT.RPATH || e.tag === DT.RUNPATH);
  const result: DynamicStrings = { needed: [], rpath: [], runpath: [] };
  if (wanted.length === 0) return result;
  if (strtabAddress === undefined || strtabBytes === undefined) throw corrupt(file, 'PT_DYNAMIC has strings but no DT_STRTAB/DT_STRSZ');
  const strtabOffset = fileOffsetOf(strtabAddress, segments, file);
  const readString = (index: number): string => {
    if (index >= strtabBytes) throw corrupt(file, `string offset ${index} is past DT_STRSZ ${strtabBytes}`);
    return readCString(source, strtabOffset + index, strtabOffset + strtabBytes, file);
  };
  for (const entry of wanted) {
    const text = readString(entry.value);
    if (entry.tag === DT.NEEDED) result.needed.push(text);
    else if (entry.tag === DT.SONAME) result.soname = text;
    else if (entry.tag === DT.RPATH) result.rpath.push(...splitPathList(text));
    else result.runpath.push(...splitPathList(text));
  }
  return result;
}

function readDynamicEntries(view: DataView, file: string): Array<{ tag: number; value: number }> {
  const entries: Array<{ tag: number; value: number }> = [];
  for (let at = 0; at + DYN_ENTRY_BYTES <= view.byteLength; at += DYN_ENTRY_BYTES) {
    const tag = view.getBigInt64(at, true);
    if (tag === BigInt(DT.NULL)) return entries;
    // Only small tags matter here; OS/processor-specific ones (0x6000000d and up) are skipped unread.
    if (tag > 0n && tag <= 64n) entries.push({ tag: Number(tag), value: toNumber(view.getBigUint64(at + 8, true), file, 'd_val') });
  }
  return entries;
}

// DT_STRTAB holds a virtual address; the PT_LOAD segment that maps it gives the file offset.
function fileOffsetOf(address: number, segments: Segment[], file: string): number {
  const load = segments.find((s) => s.type === PT_LOAD && address >= s.vaddr && address < s.vaddr + s.fileSize);
  if (!load) throw corrupt(file, `DT_STRTAB address 0x${address.toString(16)} is in no PT_LOAD segment`);
  return load.offset + (address - load.vaddr);
}

function readCString(source: ByteSource, start: number, end: number, file: string): string {
  const chunks: Uint8Array[] = [];
  for (let at = start; at < end && at < source.sizeBytes;) {
    const chunk = source.read(at, Math.min(256, end - at, source.sizeBytes - at));
    const nul = chunk.indexOf(0);
    if (nul >= 0) {
      chunks.push(chunk.subarray(0, nul));
      return Buffer.concat(chunks).toString('utf8');
    }
    chunks.push(chunk);
    at += chunk.length;
  }
  throw corrupt(file, `unterminated string at offset ${start}`);
}

function decodeCString(bytes: Uint8Array): string {
  const nul = bytes.indexOf(0);
  return Buffer.from(nul >= 0 ? bytes.subarray(0, nul) : bytes).toString('utf8');
}

// ld.so(8): DT_RPATH and DT_RUNPATH are colon-separated lists. Empty elements are dropped (ld.so
// would read them as the current directory, which a FROM-scratch image does not pin down).
function splitPathList(text: string): string[] {
  return text.split(':').filter((part) => part !== '');
}

function viewOf(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function toNumber(value: bigint, file: string, field: string): number {
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw corrupt(file, `${field} is 0x${value.toString(16)}`);
  return Number(value);
}

function hex(bytes: Uint8Array): string {
  return bytes.length === 0 ? 'nothing (the file is empty)' : Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(' ');
}

function unsupported(file: string, code: ErrorCode, what: string, fix: string): SeabuildError {
  return new SeabuildError({ code, message: `${file} is ${what}; seabuild supports 64-bit little-endian x86_64 and aarch64 only`, file, fix });
}

function corrupt(file: string, detail: string): SeabuildError {
  return new SeabuildError({
    code: 'ELF_CORRUPT',
    message: `${file} is a truncated or corrupt ELF file: ${detail}`,
    file,
    fix: 'Rebuild or reinstall this file; it may have been cut short by an interrupted download or copy.',
  });
}
