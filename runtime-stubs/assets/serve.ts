// Serving embedded assets: ETag, immutable caching for digested names, 304, HEAD, and the
// precompressed variant chosen by Accept-Encoding (RFC 9110 §12.5.3).
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AssetStore } from '../contract.ts';
import type { AssetRecord, Encoding } from './manifest.ts';

const immutable = 'public, max-age=31536000, immutable';
const revalidate = 'public, max-age=0, must-revalidate';

/** An AssetStore over records whose bytes come from `read(key)`. */
export function createAssetStore(records: AssetRecord[], prefix: string, read: (key: string) => Buffer): AssetStore {
  const byLogical = new Map(records.map((r) => [r.logicalName, r]));
  const byDigestedUrl = new Map(records.map((r) => [r.url, r]));
  return {
    url(logicalName) {
      const record = byLogical.get(logicalName.replace(/^\/+/, ''));
      if (!record) throw new Error(`no asset named ${logicalName}`);
      return record.url;
    },
    list: () => records.map(({ logicalName, url, sizeBytes, sha256 }) => ({ logicalName, url, sizeBytes, sha256 })),
    handle(req, res) {
      const path = decodePath(req.url ?? '/');
      if (path === undefined || !path.startsWith(prefix)) return false;
      const digested = byDigestedUrl.get(path);
      const record = digested ?? byLogical.get(path.slice(prefix.length));
      if (!record) return false;
      sendAsset(req, res, record, digested ? immutable : revalidate, read);
      return true;
    },
  };
}

function decodePath(url: string): string | undefined {
  try {
    return decodeURIComponent(url.split('?')[0] ?? '/');
  } catch {
    return undefined;
  }
}

function sendAsset(req: IncomingMessage, res: ServerResponse, record: AssetRecord, cacheControl: string, read: (key: string) => Buffer): void {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { Allow: 'GET, HEAD' }).end();
    return;
  }
  const encoding = chooseEncoding(req.headers['accept-encoding'], record);
  const variant = encoding ? record.variants[encoding] : undefined;
  // One ETag per representation: a compressed body is a different byte sequence (RFC 9110 §8.8.3).
  const etag = `"${record.sha256.slice(0, 32)}${encoding ? `-${encoding}` : ''}"`;
  const headers: Record<string, string | number> = {
    'Content-Type': record.contentType,
    'Cache-Control': cacheControl,
    ETag: etag,
    Vary: 'Accept-Encoding',
  };
  if (matchesIfNoneMatch(req.headers['if-none-match'], etag)) {
    res.writeHead(304, headers).end();
    return;
  }
  if (encoding) headers['Content-Encoding'] = encoding;
  headers['Content-Length'] = variant ? variant.sizeBytes : record.sizeBytes;
  res.writeHead(200, headers);
  res.end(req.method === 'HEAD' ? undefined : read(variant ? variant.key : record.key));
}

/** Picks br over gzip when both are acceptable and present; honours q=0. */
export function chooseEncoding(header: string | string[] | undefined, record: AssetRecord): Encoding | undefined {
  if (!header) return undefined;
  const accepted = new Map<string, number>();
  for (const part of String(header).split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    accepted.set(name ?? '', q ? Number(q.slice(2)) : 1);
  }
  const wildcard = accepted.get('*') ?? 0;
  for (const encoding of ['br', 'gzip'] as const) {
    if (record.variants[encoding] && (accepted.get(encoding) ?? wildcard) > 0) return encoding;
  }
  return undefined;
}

function matchesIfNoneMatch(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === '*') return true;
  // Weak comparison (RFC 9110 §13.1.2): W/"x" matches "x".
  return header.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag);
}
