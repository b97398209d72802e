// Kitteh's routes. The runtime answers /healthz and /assets/* before these.
//   GET  /                      upload form
//   POST /upload                multipart upload → 303 to /<name>
//   GET  /img/:token[/:size]    a rendition (original when no size); ?download for an attachment
//   GET  /:name                 the picture's page
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { extname } from 'node:path';
import type { AssetStore } from 'seabuild/runtime';
import { acceptUpload, type UploadDeps } from './accept-upload.ts';
import { HttpError } from './http-error.ts';
import { findImageByName, findRendition, type ImageRecord } from './images.ts';
import { isNameShaped, isTokenShaped } from './names.ts';
import { renderError, renderImage, renderIndex } from './pages.ts';
import type { RenditionName } from './resize.ts';
import { contentDisposition, downloadName, prefersJson, sendHtml, sendJson } from './respond.ts';
import { resolveStored } from './store.ts';

/** Everything the routes use. */
export interface HandlerDeps extends UploadDeps {
  assets: AssetStore;
  log: (line: string) => void;
}

const renditionNames = new Set<string>(['tiny', 'large', 'monstrous', 'original']);

/** The app's request listener. */
export function createHandler(deps: HandlerDeps): RequestListener {
  return (req, res) => {
    const started = performance.now();
    res.on('finish', () => deps.log(`${req.method} ${req.url} ${res.statusCode} ${(performance.now() - started).toFixed(1)} ms`));
    route(req, res, deps).catch((error: unknown) => answerError(req, res, error, deps));
  };
}

async function route(req: IncomingMessage, res: ServerResponse, deps: HandlerDeps): Promise<void> {
  const { pathname, searchParams } = new URL(req.url ?? '/', 'http://kitteh.invalid');
  if (pathname === '/upload') {
    allowMethods(req, ['POST']);
    return upload(req, res, deps);
  }
  allowMethods(req, ['GET', 'HEAD']);
  if (pathname === '/') return sendHtml(res, 200, renderIndex(deps.assets, deps.config.maxUploadBytes));
  if (pathname === '/favicon.ico') {
    res.writeHead(301, { Location: deps.assets.url('favicon.png'), 'Cache-Control': 'public, max-age=86400' }).end();
    return;
  }
  const download = /^\/img\/([^/]+)(?:\/([^/]+))?$/.exec(pathname);
  if (download) return sendRendition(req, res, deps, download[1]!, download[2] ?? 'original', searchParams.has('download'));
  const page = /^\/([^/]+)$/.exec(pathname);
  const image = page && isNameShaped(page[1]!) ? await findImageByName(deps.db, page[1]!) : undefined;
  if (!image) throw notFound();
  if (prefersJson(req)) return sendJson(res, 200, describe(image));
  return sendHtml(res, 200, renderImage(deps.assets, image));
}

async function upload(req: IncomingMessage, res: ServerResponse, deps: HandlerDeps): Promise<void> {
  const image = await acceptUpload(req, deps);
  const location = `/${image.generatedName}`;
  if (prefersJson(req)) return sendJson(res, 303, describe(image), { Location: location });
  res.writeHead(303, { Location: location, 'Content-Type': 'text/plain; charset=utf-8' }).end(`See ${location}\n`);
}

async function sendRendition(req: IncomingMessage, res: ServerResponse, deps: HandlerDeps, token: string, size: string, asAttachment: boolean): Promise<void> {
  if (!isTokenShaped(token) || !renditionNames.has(size)) throw notFound();
  const rendition = await findRendition(deps.db, token, size as RenditionName);
  if (!rendition) throw notFound();
  const file = resolveStored(deps.config.uploadDir, rendition.path);
  const info = await stat(file).catch(() => undefined);
  if (!info) {
    deps.log(`missing file for ${rendition.generatedName} ${size}: ${file}`);
    throw notFound();
  }
  const etag = `"${token}-${size}-${info.size}"`;
  const name = downloadName(rendition.originalName, size, extname(rendition.path).slice(1));
  const headers = {
    'Content-Type': rendition.contentType,
    'X-Content-Type-Options': 'nosniff',
    'Cache-Control': 'public, max-age=31536000, immutable',
    'Content-Disposition': contentDisposition(asAttachment ? 'attachment' : 'inline', name),
    ETag: etag,
  };
  if (req.headers['if-none-match'] === etag) {
    res.writeHead(304, headers).end();
    return;
  }
  res.writeHead(200, { ...headers, 'Content-Length': info.size });
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  createReadStream(file).on('error', (error) => res.destroy(error)).pipe(res);
}

function describe(image: ImageRecord): object {
  return {
    name: image.generatedName,
    url: `/${image.generatedName}`,
    originalName: image.originalName,
    type: image.type,
    width: image.width,
    height: image.height,
    sizeBytes: image.size,
    renditions: Object.fromEntries(image.renditions.map((r) => [r.name, {
      width: r.width, height: r.height, sizeBytes: r.sizeBytes, contentType: r.contentType,
      url: r.name === 'original' ? `/img/${image.token}` : `/img/${image.token}/${r.name}`,
    }])),
  };
}

function allowMethods(req: IncomingMessage, methods: string[]): void {
  if (!methods.includes(req.method ?? '')) {
    throw new HttpError(405, 'method_not_allowed', `${req.method} is not allowed here`, { headers: { Allow: methods.join(', ') } });
  }
}

function notFound(): HttpError {
  return new HttpError(404, 'not_found', 'There is no such picture here');
}

function answerError(req: IncomingMessage, res: ServerResponse, error: unknown, deps: HandlerDeps): void {
  const known = error instanceof HttpError || (error instanceof Error && 'status' in error && 'code' in error);
  const status = known ? (error as HttpError).status : 500;
  const code = known ? (error as HttpError).code : 'internal_error';
  const message = known ? (error as Error).message : 'Something went wrong on our side; the upload was not kept';
  if (!known) deps.log(`error: ${req.method} ${req.url}: ${error instanceof Error ? error.stack : String(error)}`);
  // A known server-side condition (database or store unavailable) is still the operator's news.
  else if (status >= 500) deps.log(`error: ${req.method} ${req.url}: ${status} ${code}: ${String((error as Error).cause ?? '')}`);
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const headers = error instanceof HttpError ? error.headers : {};
  if (prefersJson(req)) sendJson(res, status, { error: { status, code, message } }, headers);
  else sendHtml(res, status, renderError(deps.assets, status, code, message), headers);
}
