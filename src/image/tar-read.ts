// Reading tars back (the validator and tests): one member at a time, streamed.
import { once } from 'node:events';
import tar from 'tar-stream';

/** A member's header with the name as written (tar-stream strips nothing). */
export type TarMember = tar.Header;

/**
 * Calls `visit` for every member of the tar in `chunks`, in order. Whatever `visit` leaves unread
 * of a member's body is skipped. A damaged tar rejects with tar-stream's error.
 */
export async function forEachTarMember(
  chunks: AsyncIterable<Buffer> | Iterable<Buffer>,
  visit: (header: TarMember, body: AsyncIterable<Buffer>) => Promise<void>,
): Promise<void> {
  const extract = tar.extract();
  const feeding = feed(extract, chunks);
  const reading = (async () => {
    try {
      for await (const member of extract) {
        const body = member as unknown as AsyncIterable<Buffer>;
        await visit(member.header, body);
        for await (const _ of body) { /* skip the rest */ }
      }
    } catch (error) {
      extract.destroy(error as Error);
      throw error;
    }
  })();
  const results = await Promise.allSettled([reading, feeding]);
  const failure = results.find((result) => result.status === 'rejected');
  if (failure) throw failure.reason;
}

async function feed(extract: tar.Extract, chunks: AsyncIterable<Buffer> | Iterable<Buffer>): Promise<void> {
  try {
    for await (const chunk of chunks) {
      if (extract.destroyed) return;
      if (!extract.write(chunk)) await drainOrClose(extract);
    }
    extract.end(undefined);
  } catch (error) {
    extract.destroy(error as Error);
    throw error;
  }
}

/** Waits for room in the extractor, or for it to be destroyed by the reading side; removes both listeners after. */
async function drainOrClose(extract: tar.Extract): Promise<void> {
  const controller = new AbortController();
  const { signal } = controller;
  try {
    await Promise.race([once(extract, 'drain', { signal }), once(extract, 'close', { signal })]);
  } finally {
    controller.abort();
  }
}
