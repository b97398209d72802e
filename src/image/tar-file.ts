// The image archives' tar (archive.ts, index-archive.ts), written straight to a file member by
// member: headers from tar-header.ts (tar-stream's bytes), file bodies copied through one reused
// buffer, the archive's sha256 computed as it is written. The 57 MB app layer of Kitteh went through
// tar-stream as fresh 1 MiB chunks before, which the garbage collector paid for.
import { open } from 'node:fs/promises';
import { SeabuildError } from '../errors.ts';
import { forEachChunk, writeAll } from '../file-chunks.ts';
import { createCountingHash } from './digest.ts';
import { sourceChanged, sourceUnreadable } from './entries.ts';
import { encodeTarHeader, TAR_END, tarPadding, type TarMember } from './tar-header.ts';

/** Adds members in order; a body is bytes or a file of exactly `member.size` bytes. */
export interface TarFile {
  add(member: TarMember, body?: Uint8Array | { path: string }): Promise<void>;
}

/** Writes the tar that `fill` adds to `path` (a new file); returns its digest and size. */
export async function writeTarFile(path: string, fill: (tar: TarFile) => Promise<void>): Promise<{ digest: string; sizeBytes: number }> {
  const file = await open(path, 'w');
  const hash = createCountingHash();
  const write = async (bytes: Uint8Array): Promise<void> => {
    hash.update(bytes);
    await writeAll(file, bytes);
  };
  try {
    await fill({
      async add(member, body) {
        const size = body instanceof Uint8Array ? body.byteLength : member.size;
        await write(encodeTarHeader({ ...member, size }));
        if (body instanceof Uint8Array) await write(body);
        else if (body) await copyBody(body.path, size, write);
        await write(tarPadding(size));
      },
    });
    await write(TAR_END);
  } finally {
    await file.close();
  }
  return { digest: hash.digest(), sizeBytes: hash.sizeBytes };
}

async function copyBody(path: string, size: number, write: (bytes: Uint8Array) => Promise<void>): Promise<void> {
  let copied = 0;
  await forEachChunk(path, async (bytes) => {
    copied += bytes.byteLength;
    if (copied > size) throw sourceChanged(path, 'the archive', size, 'more');
    await write(bytes);
  }).catch((cause: unknown) => {
    if (cause instanceof SeabuildError) throw cause;
    throw sourceUnreadable(path, cause);
  });
  if (copied !== size) throw sourceChanged(path, 'the archive', size, copied);
}
