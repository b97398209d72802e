// The asset manifest: the record the build writes and the runtime reads (embedded as `seabuild/build.json`).
import { createHash } from 'node:crypto';

export type Encoding = 'br' | 'gzip';

/** One served file. `key` names the embedded blob (SEA asset key, or a path on disk in development). */
export interface AssetRecord {
  logicalName: string;
  url: string;
  sha256: string;
  sizeBytes: number;
  contentType: string;
  key: string;
  /** Precompressed variants, kept only where smaller than the original. */
  variants: Partial<Record<Encoding, { key: string; sizeBytes: number }>>;
}

/** The digested name: `css/app.css` → `css/app.3f2a1b9c0d.css` (10 hex digits of the sha256). */
export function digestedName(logicalName: string, sha256: string): string {
  const slash = logicalName.lastIndexOf('/');
  const dot = logicalName.lastIndexOf('.');
  const hash = sha256.slice(0, 10);
  return dot > slash + 1 ? `${logicalName.slice(0, dot)}.${hash}${logicalName.slice(dot)}` : `${logicalName}.${hash}`;
}

/** sha256 of bytes as hex. */
export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}
