// Content addressing shared by the layer, image and archive writers and the validator.
import { createHash } from 'node:crypto';
import { Transform } from 'node:stream';
import { sha256Hex } from '../sha256.ts';

/** `sha256:<hex>` of some bytes (OCI image-spec descriptor.md: the only algorithm we write). */
export function sha256Digest(bytes: Uint8Array | string): string {
  return `sha256:${sha256Hex(bytes)}`;
}

/** The hex part of a `sha256:` digest, as used for `blobs/sha256/<hex>` paths. */
export function digestHex(digest: string): string {
  return digest.slice('sha256:'.length);
}

/** sha256 and byte count of bytes given piece by piece (a layer's tar, its blob, an archive). */
export interface CountingHash {
  update(bytes: Uint8Array): void;
  readonly sizeBytes: number;
  /** `sha256:…`; call once, after the last update. */
  digest(): string;
}

export function createCountingHash(): CountingHash {
  const hash = createHash('sha256');
  let sizeBytes = 0;
  return {
    update(bytes) { hash.update(bytes); sizeBytes += bytes.byteLength; },
    get sizeBytes() { return sizeBytes; },
    digest: () => `sha256:${hash.digest('hex')}`,
  };
}

/** A pass-through stream that hashes and counts what flows through it. */
export interface HashTap {
  stream: Transform;
  /** Valid once the stream has ended. */
  result(): { digest: string; sizeBytes: number };
}

/** Creates a pass-through that computes sha256 and the byte count while data streams by. */
export function createHashTap(): HashTap {
  const counted = createCountingHash();
  let digest: string | undefined;
  const stream = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      counted.update(chunk);
      callback(null, chunk);
    },
    flush(callback) {
      digest = counted.digest();
      callback();
    },
  });
  return {
    stream,
    result() {
      if (digest === undefined) throw new Error('hash tap read before its stream ended');
      return { digest, sizeBytes: counted.sizeBytes };
    },
  };
}

/** Serialises JSON with object keys sorted at every level and no whitespace, so equal values give equal digests. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  const sorted: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    const child = (value as Record<string, unknown>)[key];
    if (child !== undefined) sorted[key] = sortKeys(child);
  }
  return sorted;
}
