// Receives one multipart upload: busboy parses the body as it streams in and the `image` field's
// bytes are collected in memory, stopping at MAX_UPLOAD_BYTES. Memory, not a staging file: the
// resize core needs every byte in memory anyway (a JPEG original is its own bytes, stripped), and
// handing libvips a file path made it open the file 32 times and stat it 35 times per upload while
// it probed its loaders (strace, sharp 0.35.5); writing the body out and reading it back three
// times cost ~15 % of an upload of a 600×450 photo. So an upload in flight holds at most
// MAX_UPLOAD_BYTES (plus the multipart framing) of memory.
import type { IncomingMessage } from 'node:http';
import busboy from 'busboy';
import { HttpError } from './http-error.ts';

/** The form field that carries the picture. */
export const FILE_FIELD = 'image';

// Boundaries, part headers and a few small fields: a real form adds well under 1 KiB.
const MULTIPART_OVERHEAD_BYTES = 64 * 1024;

/** What arrived. */
export interface ReceivedFile {
  /** The client's file name, reduced to a safe base name. */
  originalName: string;
  sizeBytes: number;
  /** The file's bytes. */
  data: Buffer;
}

/** Reads the upload's file into memory; rejects with an HttpError (400, 413, 415). */
export function receiveUpload(req: IncomingMessage, maxBytes: number): Promise<ReceivedFile> {
  const contentType = req.headers['content-type'] ?? '';
  if (!/^multipart\/form-data\s*;/i.test(contentType)) {
    return Promise.reject(new HttpError(415, 'not_multipart', 'Send the picture as multipart/form-data, in a field named "image"'));
  }
  const declared = Number(req.headers['content-length'] ?? NaN);
  // Refused before reading a byte; Connection: close because the body is not read.
  if (declared > maxBytes + MULTIPART_OVERHEAD_BYTES) return Promise.reject(tooLarge(maxBytes, true));
  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({
        headers: req.headers,
        defParamCharset: 'utf8',
        limits: { files: 1, fileSize: maxBytes, fields: 10, fieldSize: 1024, parts: 20, headerPairs: 20 },
      });
    } catch (cause) {
      reject(new HttpError(400, 'bad_multipart', 'The multipart request cannot be read (missing boundary?)', { cause }));
      return;
    }
    let written: Promise<ReceivedFile> | undefined;
    let failed = false;
    const fail = (error: HttpError): void => {
      if (failed) return;
      failed = true;
      req.unpipe(parser);
      req.resume();
      reject(error);
    };
    parser.on('file', (field, stream, info) => {
      if (field !== FILE_FIELD || written) {
        stream.resume();
        return;
      }
      written = collect(stream).then((data) => {
        if ((stream as { truncated?: boolean }).truncated) throw tooLarge(maxBytes, false);
        return { originalName: safeFileName(info.filename), sizeBytes: data.length, data };
      });
      written.catch(() => {});
    });
    parser.on('error', (cause: unknown) => fail(new HttpError(400, 'bad_multipart', 'The multipart request is malformed', { cause })));
    parser.on('close', () => {
      if (failed) return;
      if (!written) {
        fail(new HttpError(400, 'missing_file', `No file in the form: send it in a field named "${FILE_FIELD}"`));
        return;
      }
      written.then(resolve, (error: unknown) => fail(error instanceof HttpError ? error : new HttpError(400, 'upload_failed', 'The upload could not be stored', { cause: error })));
    });
    // A chunked body has no Content-Length to check up front: count as it comes.
    let receivedBytes = 0;
    req.on('data', (chunk: Buffer) => {
      receivedBytes += chunk.length;
      if (receivedBytes > maxBytes + MULTIPART_OVERHEAD_BYTES) fail(tooLarge(maxBytes, true));
    });
    req.on('aborted', () => fail(new HttpError(400, 'upload_aborted', 'The upload was interrupted')));
    req.pipe(parser);
  });
}

async function collect(stream: AsyncIterable<Buffer>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return Buffer.concat(chunks);
}

function tooLarge(maxBytes: number, closeConnection: boolean): HttpError {
  const message = `The file is larger than the limit of ${formatBytes(maxBytes)} (MAX_UPLOAD_BYTES)`;
  return new HttpError(413, 'too_large', message, closeConnection ? { headers: { Connection: 'close' } } : {});
}

/** `1.5 MB`-style size for messages. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MB`;
}

/** The base name of a client-supplied file name, without control characters, at most 200 characters. */
export function safeFileName(name: string | undefined): string {
  const base = (name ?? '').split(/[\\/]/).pop() ?? '';
  // eslint-disable-next-line no-control-regex
  const clean = base.replace(/[\u0000-\u001f\u007f-\u009f]/g, '').trim().slice(0, 200);
  return clean === '' || clean === '.' || clean === '..' ? 'picture' : clean;
}
