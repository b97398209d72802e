// The article's way as a web app, for scripts/bench-resize.ts --baseline app: POST /upload
// receives the multipart upload (busboy, streamed to a temporary file as Phoenix's Plug.Upload
// does), copies it into UPLOAD_DIR, runs `convert ORIGINAL -resize 90x OUT` (then 300x, 600x) one
// after another as the article's app shelled out to ImageMagick, and inserts a row in the
// article's `images` table, then answers 303. It also fsyncs the four files and their folder, which
// the article did not: Kitteh does, and the benchmark compares the resizing, not the durability.
// Not part of Kitteh (nothing in src/ imports it, so seabuild never bundles it).
//
// Environment: PORT, HOST (127.0.0.1), UPLOAD_DIR, CONVERT (/usr/bin/convert), and DATABASE_URL
// (PostgreSQL) or DATA_DIR (embedded PGlite, as Kitteh).
import { execFile } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { copyFile, mkdir, mkdtemp, open, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { promisify } from 'node:util';
import busboy from 'busboy';
import { readConfig } from '../src/config.ts';
import { openDatabase } from '../src/db.ts';
import { generateName, generateToken } from '../src/names.ts';
import { safeFileName } from '../src/upload.ts';

const run = promisify(execFile);
const widths = [90, 300, 600];
const config = readConfig(process.env);
const convert = process.env.CONVERT || '/usr/bin/convert';
const scratch = await mkdtemp(join(tmpdir(), 'article-app-'));
const db = await openDatabase(config);
// The article's table (Kitteh's keeps the same columns and adds sizes, widths and heights).
await db.query(`CREATE TABLE IF NOT EXISTS article_images (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, original_name text NOT NULL, token text NOT NULL UNIQUE,
  generated_name text NOT NULL UNIQUE, type text NOT NULL, content_type text NOT NULL, path text NOT NULL,
  size bigint NOT NULL, inserted_at timestamptz NOT NULL DEFAULT now(), updated_at timestamptz NOT NULL DEFAULT now())`);

interface Upload { tempPath: string; originalName: string; contentType: string; sizeBytes: number }

function receive(req: IncomingMessage): Promise<Upload> {
  return new Promise((resolve, reject) => {
    const parser = busboy({ headers: req.headers, limits: { files: 1, fileSize: config.maxUploadBytes } });
    let received: Promise<Upload> | undefined;
    parser.on('file', (_field, stream, info) => {
      const tempPath = join(scratch, generateToken());
      let sizeBytes = 0;
      stream.on('data', (chunk: Buffer) => { sizeBytes += chunk.length; });
      received = pipeline(stream, createWriteStream(tempPath)).then(() => ({ tempPath, originalName: safeFileName(info.filename), contentType: info.mimeType, sizeBytes }));
      received.catch(() => {});
    });
    parser.on('error', reject);
    parser.on('close', () => (received ? received.then(resolve, reject) : reject(new Error('no file'))));
    req.pipe(parser);
  });
}

async function syncFile(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function acceptUpload(req: IncomingMessage): Promise<string> {
  const upload = await receive(req);
  const token = generateToken();
  const dir = join(config.uploadDir, token);
  try {
    await mkdir(dir, { recursive: true });
    const extension = extname(upload.originalName) || '.jpg';
    const original = join(dir, `original${extension}`);
    await copyFile(upload.tempPath, original);
    const outputs = [original];
    for (const width of widths) {
      const output = join(dir, `${width}${extension}`);
      await run(convert, [original, '-resize', `${width}x`, output]);
      outputs.push(output);
    }
    await Promise.all(outputs.map((path) => syncFile(path)));
    await syncFile(dir);
    await syncFile(config.uploadDir);
    return await insertRow(upload, token, extension.slice(1), original);
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  } finally {
    await rm(upload.tempPath, { force: true });
  }
}

// Like Kitteh, a cat-name collision (576,000 names) is retried with another name.
async function insertRow(upload: Upload, token: string, type: string, path: string): Promise<string> {
  for (let attempt = 0; ; attempt++) {
    const name = generateName();
    try {
      await db.query('INSERT INTO article_images (original_name, token, generated_name, type, content_type, path, size) VALUES ($1, $2, $3, $4, $5, $6, $7)',
        [upload.originalName, token, name, type, upload.contentType, path, upload.sizeBytes]);
      return name;
    } catch (error) {
      if ((error as { code?: string }).code !== '23505' || attempt === 9) throw error;
    }
  }
}

const server = createServer((req, res) => {
  if (req.method !== 'POST' || req.url !== '/upload') {
    res.writeHead(404).end();
    return;
  }
  acceptUpload(req).then(
    (name) => res.writeHead(303, { Location: `/${name}` }).end(),
    (error: Error) => res.writeHead(500, { 'Content-Type': 'text/plain' }).end(`${error.message}\n`),
  );
});
server.keepAliveTimeout = 60_000;
server.listen(Number(process.env.PORT ?? 4001), process.env.HOST ?? '127.0.0.1', () => {
  process.stderr.write(`article app listening on http://${process.env.HOST ?? '127.0.0.1'}:${process.env.PORT ?? 4001}\n`);
});
process.once('SIGTERM', () => {
  server.close();
  server.closeAllConnections();
  void db.close().finally(() => rm(scratch, { recursive: true, force: true }));
});
