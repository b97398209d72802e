// Injecting the blob without rerunning postject. postject (LIEF compiled to WebAssembly) rewrites the
// whole ~110 MB ELF in memory: 1.6–3.1 s and up to 1.37 GB of RSS per executable (kitteh, measured).
// Its output for a given node binary is the same for every blob except where the blob's size is
// written (measured on node 24.21: blobs of 1000 B, 5 MB and 40 MB differ in 9 bytes before the blob):
//   - the NODE_SEA_BLOB note's descsz, and the note itself (the blob, zero-padded to 4 bytes);
//   - p_filesz/p_memsz of the PT_NOTE segment holding it and of the PT_LOAD segment around that,
//     which LIEF rounds up to a fixed step;
//   - the section header table, written right after that PT_LOAD (e_shoff), and the note
//     section's sh_size.
// So postject runs once per node binary on a 1-byte blob (the template, cached beside the stripped
// node), and each build copies the template and rewrites those fields. Before a template is used, it
// must reproduce postject's own output byte for byte for two probe blobs (sizes that pad and cross a
// rounding step); a node whose layout differs fails that check and keeps using postject.
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { copyFile, open, readFile, rm, writeFile, type FileHandle } from 'node:fs/promises';
import { NOTE_NAME, ELF_PROBE_BLOB_SIZES, readTemplateLayout, type TemplateLayout } from './inject-layout.ts';
import { writeAtomically } from '../fs-atomic.ts';
import { sha256File } from '../sha256.ts';
import { forEachChunk, writeAll } from '../file-chunks.ts';

export type { TemplateLayout } from './inject-layout.ts';

/** Runs postject on `executable` (a copy of the stripped node) with `blobPath`. */
export type Postject = (executable: string, blobPath: string) => Promise<void>;

/** A checked template for one stripped node, or why there is none (then postject runs every time). */
export type InjectTemplate = { path: string; layout: TemplateLayout } | { path: null; reason: string };

/**
 * The template for `strippedPath` (cached at `<strippedPath>-sea-template`): made and checked on
 * first use; a failed check is remembered in `<…>-sea-template.unusable` with its reason.
 */
export async function prepareInjectTemplate(strippedPath: string, postject: Postject): Promise<InjectTemplate> {
  const path = `${strippedPath}-sea-template`;
  const unusable = `${path}.unusable`;
  if (existsSync(unusable)) return { path: null, reason: await readFile(unusable, 'utf8') };
  if (!existsSync(path)) {
    const reason = await makeTemplate(strippedPath, path, postject);
    if (reason) {
      await writeAtomically(unusable, (temp) => writeFile(temp, reason));
      return { path: null, reason };
    }
  }
  const layout = await readTemplateLayout(path);
  return layout ? { path, layout } : { path: null, reason: 'the cached template has no NODE_SEA_BLOB note' };
}

/** Writes node + blob to `output` from the template, as postject would. */
export async function injectFromTemplate(template: { path: string; layout: TemplateLayout }, blobPath: string, blobBytes: number, output: string): Promise<void> {
  const { layout } = template;
  await copyFile(template.path, output);
  const file = await open(output, 'r+');
  try {
    const paddedBlob = blobBytes + ((4 - (blobBytes % 4)) % 4);
    const noteSegmentBytes = layout.noteSegmentPrefixBytes + layout.noteHeaderBytes + paddedBlob;
    const loadBytes = Math.ceil(noteSegmentBytes / layout.loadStep) * layout.loadStep;
    const sectionHeadersOffset = layout.load.offset + loadBytes;
    // The blob, its padding and LIEF's zero fill up to the end of the PT_LOAD.
    let position = layout.noteOffset + layout.noteHeaderBytes;
    await forEachChunk(blobPath, async (bytes) => {
      await writeAll(file, bytes, position);
      position += bytes.byteLength;
    });
    if (position - layout.noteOffset - layout.noteHeaderBytes !== blobBytes) throw new Error(`the SEA blob ${blobPath} changed while it was injected`);
    await writeZeros(file, position, sectionHeadersOffset - position);
    await writeAll(file, layout.sectionHeaders, sectionHeadersOffset);
    await file.truncate(sectionHeadersOffset + layout.sectionHeaders.byteLength);
    // The size fields.
    await writeUint(file, layout.noteOffset + 4, 4, blobBytes);
    await writeUint(file, layout.note.phdrOffset + 32, 8, noteSegmentBytes);
    await writeUint(file, layout.note.phdrOffset + 40, 8, noteSegmentBytes);
    await writeUint(file, layout.load.phdrOffset + 32, 8, loadBytes);
    await writeUint(file, layout.load.phdrOffset + 40, 8, loadBytes);
    await writeUint(file, 0x28, 8, sectionHeadersOffset);
    await writeUint(file, sectionHeadersOffset + layout.noteSectionIndex * layout.sectionHeaderBytes + 32, 8, layout.noteHeaderBytes + paddedBlob);
  } finally {
    await file.close();
  }
}

/** Makes the template and checks it against postject; returns why it cannot be used, or undefined. */
async function makeTemplate(strippedPath: string, path: string, postject: Postject): Promise<string | undefined> {
  // Probe files beside the cache entry, named per process: two builds may make the same template at once.
  const nonce = randomBytes(6).toString('hex');
  const probe = (name: string) => `${path}.probe-${nonce}-${name}`;
  try {
    return await writeAtomically(path, async (temp) => {
      await writeFile(probe('blob-1'), Buffer.from([0x5a]));
      await copyFile(strippedPath, temp);
      await postject(temp, probe('blob-1'));
      const layout = await readTemplateLayout(temp);
      if (!layout) throw new TemplateUnusable(`postject's output has no NODE_SEA_BLOB note (${NOTE_NAME}) seabuild can read`);
      for (const size of ELF_PROBE_BLOB_SIZES) {
        const blob = probe(`blob-${size}`);
        await writeFile(blob, Buffer.alloc(size, 0xa5));
        await copyFile(strippedPath, probe('expected'));
        await postject(probe('expected'), blob);
        await injectFromTemplate({ path: temp, layout }, blob, size, probe('actual'));
        if (!(await sameBytes(probe('expected'), probe('actual')))) throw new TemplateUnusable(`postject's layout for a ${size}-byte blob is not the template's`);
      }
      return undefined;
    });
  } catch (error) {
    if (error instanceof TemplateUnusable) return error.message;
    throw error;
  } finally {
    for (const name of ['blob-1', 'expected', 'actual', ...ELF_PROBE_BLOB_SIZES.map((s) => `blob-${s}`)]) await rm(probe(name), { force: true });
  }
}

class TemplateUnusable extends Error {}

async function sameBytes(a: string, b: string): Promise<boolean> {
  const [left, right] = await Promise.all([sha256File(a), sha256File(b)]);
  return left === right;
}

async function writeZeros(file: FileHandle, position: number, count: number): Promise<void> {
  const zeros = Buffer.alloc(Math.min(count, 1 << 20));
  for (let done = 0; done < count; done += zeros.byteLength) await writeAll(file, zeros.subarray(0, Math.min(zeros.byteLength, count - done)), position + done);
}

async function writeUint(file: FileHandle, position: number, bytes: 4 | 8, value: number): Promise<void> {
  const buffer = Buffer.alloc(bytes);
  if (bytes === 4) buffer.writeUInt32LE(value);
  else buffer.writeBigUInt64LE(BigInt(value));
  await writeAll(file, buffer, position);
}
