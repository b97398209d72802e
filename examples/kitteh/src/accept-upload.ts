// POST /upload from request to row: receive into memory, resize, commit the files, insert the row
// under a fresh cat name. The renditions exist before the answer (no background task that could
// fail unseen, as in the article); any failure removes everything written, so no file outlives a
// missing row.
import type { IncomingMessage } from 'node:http';
import type { Config } from './config.ts';
import { DatabaseUnavailableError, type Database } from './db.ts';
import { HttpError } from './http-error.ts';
import { insertImage, type ImageRecord } from './images.ts';
import { generateName, generateToken, pickRandomIndex, type PickIndex } from './names.ts';
import { resizeImage } from './resize.ts';
import { commitRenditions, removeUpload } from './store.ts';
import { receiveUpload } from './upload.ts';

/** What accepting an upload needs. */
export interface UploadDeps {
  config: Readonly<Config>;
  db: Database;
  /** Injectable so a test can force name collisions. */
  pickIndex?: PickIndex;
}

// 576,000 names: even a million stored images leave most draws free; ten collisions in a row
// mean the name space is nearly full, which an operator should hear about (503).
const NAME_ATTEMPTS = 10;

/** Accepts one upload; resolves with the stored record, or rejects with an HttpError/ImageError. */
export async function acceptUpload(req: IncomingMessage, deps: UploadDeps): Promise<ImageRecord> {
  const { config, db } = deps;
  const token = generateToken();
  try {
    const received = await receiveUpload(req, config.maxUploadBytes);
    if (received.sizeBytes === 0) throw new HttpError(422, 'empty_file', 'The file is empty');
    const resized = await resizeImage(received.data, { maxInputPixels: config.maxInputPixels });
    const renditions = await commitRenditions(config.uploadDir, token, resized.renditions);
    const original = renditions.find((r) => r.name === 'original')!;
    const record: ImageRecord = {
      originalName: received.originalName, token, generatedName: '', type: resized.type, contentType: resized.contentType,
      path: original.path, size: received.sizeBytes, width: resized.width, height: resized.height, renditions,
    };
    return await insertWithFreshName(db, record, deps.pickIndex ?? pickRandomIndex);
  } catch (error) {
    // When the connection dropped with the insert in flight, the row may exist: its files stay
    // (an orphan folder is harmless, a row without its files is a broken page).
    if (!(error instanceof DatabaseUnavailableError && error.inDoubt)) await removeUpload(config.uploadDir, token);
    throw storageError(error) ?? error;
  }
}

// The upload folder refusing writes is the operator's to fix: say so, rather than "something went wrong".
function storageError(error: unknown): HttpError | undefined {
  const code = (error as NodeJS.ErrnoException)?.code;
  if (code === 'ENOSPC' || code === 'EDQUOT') return new HttpError(507, 'storage_full', 'The picture store is full; nothing was kept', { cause: error });
  if (code === 'EROFS' || code === 'EACCES' || code === 'EPERM') return new HttpError(503, 'storage_unavailable', 'The picture store cannot be written right now; nothing was kept', { cause: error });
  return undefined;
}

async function insertWithFreshName(db: Database, record: ImageRecord, pick: PickIndex): Promise<ImageRecord> {
  for (let attempt = 0; attempt < NAME_ATTEMPTS; attempt++) {
    const named = { ...record, generatedName: generateName(pick) };
    if ((await insertImage(db, named)) === 'inserted') return named;
  }
  throw new HttpError(503, 'names_exhausted', `No free cat name after ${NAME_ATTEMPTS} tries; please try again`);
}

