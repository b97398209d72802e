// Writing answers: HTML or JSON by the Accept header, security headers, downloads.
import type { IncomingMessage, ServerResponse } from 'node:http';

/** Headers on every page: no sniffing, no framing, scripts and styles only from here. */
export const pageHeaders = {
  'X-Content-Type-Options': 'nosniff',
  'Content-Security-Policy': "default-src 'self'; img-src 'self' blob: data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'",
  'Referrer-Policy': 'same-origin',
} as const;

/** True when the client ranks application/json above text/html (browsers do the opposite). */
export function prefersJson(req: IncomingMessage): boolean {
  const accept = req.headers.accept ?? '';
  return quality(accept, 'application/json') > quality(accept, 'text/html');
}

// q of the most specific matching range (RFC 9110 §12.5.1), 0 when none matches.
function quality(accept: string, type: string): number {
  const [major] = type.split('/');
  let best = { specificity: -1, q: 0 };
  for (const part of accept.split(',')) {
    const [range = '', ...params] = part.trim().toLowerCase().split(';').map((s) => s.trim());
    const specificity = range === type ? 2 : range === `${major}/*` ? 1 : range === '*/*' ? 0 : -1;
    if (specificity <= best.specificity) continue;
    const qParam = params.find((p) => p.startsWith('q='));
    const q = qParam ? Number(qParam.slice(2)) : 1;
    best = { specificity, q: Number.isFinite(q) ? q : 0 };
  }
  return best.q;
}

/** Sends an HTML page. */
export function sendHtml(res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { ...pageHeaders, 'Content-Type': 'text/html; charset=utf-8', 'Content-Length': Buffer.byteLength(body), 'Cache-Control': 'no-store', ...headers });
  res.end(body);
}

/** Sends a JSON document. */
export function sendJson(res: ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}): void {
  const body = JSON.stringify(value);
  res.writeHead(status, { 'X-Content-Type-Options': 'nosniff', 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(body), 'Cache-Control': 'no-store', ...headers });
  res.end(body);
}

/**
 * Content-Disposition for a stored file (RFC 6266): an ASCII `filename` for old clients and the
 * exact name as UTF-8 in `filename*` (RFC 8187), so quotes, CR/LF and non-Latin names are safe.
 */
export function contentDisposition(kind: 'inline' | 'attachment', fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]/g, '_').replace(/["\\%]/g, '_');
  const encoded = encodeURIComponent(fileName).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

/** `holiday.heic` + `tiny` + `jpg` → `holiday-tiny.jpg`; the original keeps its stem. */
export function downloadName(originalName: string, rendition: string, extension: string): string {
  const dot = originalName.lastIndexOf('.');
  const stem = dot > 0 ? originalName.slice(0, dot) : originalName;
  return rendition === 'original' ? `${stem}.${extension}` : `${stem}-${rendition}.${extension}`;
}
