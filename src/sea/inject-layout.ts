// Where postject put the NODE_SEA_BLOB note in a template (see inject.ts), read from the ELF
// headers (ELF-64 little-endian, as node ships for x86-64 and arm64; System V gABI "Program
// Header", "Note Section").
import { open, type FileHandle } from 'node:fs/promises';

/** The note name Node looks up (postject's default for a SEA). */
export const NOTE_NAME = 'NODE_SEA_BLOB';

/** Probe blobs checked against postject before a template is trusted: one that needs padding, one past LIEF's 64 KiB step. */
export const ELF_PROBE_BLOB_SIZES: readonly number[] = [1003, 70_001];

const PT_LOAD = 1;
const PT_NOTE = 4;

/** A program header's place in the file and its segment. */
export interface Segment {
  /** File offset of the program header entry itself. */
  phdrOffset: number;
  offset: number;
  fileBytes: number;
}

/** What injectFromTemplate rewrites. */
export interface TemplateLayout {
  /** File offset of the note header (namesz, descsz, type). */
  noteOffset: number;
  /** namesz/descsz/type and the padded name. */
  noteHeaderBytes: number;
  /** Notes before ours in the same PT_NOTE segment (LIEF moves the binary's own notes there). */
  noteSegmentPrefixBytes: number;
  note: Segment;
  load: Segment;
  /** LIEF rounds the new PT_LOAD to this many bytes. */
  loadStep: number;
  sectionHeaders: Buffer;
  sectionHeaderBytes: number;
  noteSectionIndex: number;
}

/** Reads the layout of a postject output for a 1-byte blob, or null when it is not the shape inject.ts knows. */
export async function readTemplateLayout(path: string): Promise<TemplateLayout | null> {
  const file = await open(path, 'r');
  try {
    return await parseLayout(file, (await file.stat()).size);
  } finally {
    await file.close();
  }
}

async function parseLayout(file: FileHandle, fileBytes: number): Promise<TemplateLayout | null> {
  const header = await readAt(file, 0, 64);
  if (header.readUInt32BE(0) !== 0x7f454c46 || header[4] !== 2 || header[5] !== 1) return null;
  const phoff = Number(header.readBigUInt64LE(0x20));
  const shoff = Number(header.readBigUInt64LE(0x28));
  const phentsize = header.readUInt16LE(0x36);
  const phnum = header.readUInt16LE(0x38);
  const shentsize = header.readUInt16LE(0x3a);
  const shnum = header.readUInt16LE(0x3c);
  const phdrs = await readAt(file, phoff, phentsize * phnum);
  const segments = Array.from({ length: phnum }, (_, i) => {
    const at = i * phentsize;
    return { type: phdrs.readUInt32LE(at), phdrOffset: phoff + at, offset: Number(phdrs.readBigUInt64LE(at + 8)), fileBytes: Number(phdrs.readBigUInt64LE(at + 32)), memBytes: Number(phdrs.readBigUInt64LE(at + 40)) };
  });
  for (const note of segments.filter((s) => s.type === PT_NOTE)) {
    const found = findNote(await readAt(file, note.offset, note.fileBytes));
    if (!found) continue;
    const noteOffset = note.offset + found.offset;
    // Ours must be the segment's last note, holding the 1-byte blob padded to 4.
    if (found.offset + found.headerBytes + 4 !== note.fileBytes || found.descBytes !== 1 || note.memBytes !== note.fileBytes) return null;
    const load = segments.find((s) => s.type === PT_LOAD && s.offset <= note.offset && note.offset + note.fileBytes <= s.offset + s.fileBytes);
    if (!load || load.offset !== note.offset || load.memBytes !== load.fileBytes) return null;
    // The section headers follow that PT_LOAD and end the file.
    if (shoff !== load.offset + load.fileBytes || shoff + shentsize * shnum !== fileBytes) return null;
    const sectionHeaders = await readAt(file, shoff, shentsize * shnum);
    const noteSectionIndex = Array.from({ length: shnum }, (_, i) => i).find((i) => Number(sectionHeaders.readBigUInt64LE(i * shentsize + 24)) === noteOffset);
    if (noteSectionIndex === undefined) return null;
    return {
      noteOffset,
      noteHeaderBytes: found.headerBytes,
      noteSegmentPrefixBytes: found.offset,
      note: { phdrOffset: note.phdrOffset, offset: note.offset, fileBytes: note.fileBytes },
      load: { phdrOffset: load.phdrOffset, offset: load.offset, fileBytes: load.fileBytes },
      loadStep: load.fileBytes,
      sectionHeaders,
      sectionHeaderBytes: shentsize,
      noteSectionIndex,
    };
  }
  return null;
}

/** The NODE_SEA_BLOB note in a PT_NOTE segment's bytes: 4-byte namesz, descsz, type, then name and desc, each padded to 4. */
function findNote(bytes: Buffer): { offset: number; headerBytes: number; descBytes: number } | null {
  for (let at = 0; at + 12 <= bytes.byteLength;) {
    const nameBytes = bytes.readUInt32LE(at);
    const descBytes = bytes.readUInt32LE(at + 4);
    const headerBytes = 12 + pad4(nameBytes);
    if (bytes.toString('latin1', at + 12, at + 12 + nameBytes) === `${NOTE_NAME}\0`) return { offset: at, headerBytes, descBytes };
    at += headerBytes + pad4(descBytes);
  }
  return null;
}

function pad4(n: number): number {
  return n + ((4 - (n % 4)) % 4);
}

async function readAt(file: FileHandle, position: number, length: number): Promise<Buffer> {
  const buffer = Buffer.alloc(length);
  const { bytesRead } = await file.read(buffer, 0, length, position);
  return buffer.subarray(0, bytesRead);
}
