// Assets: digested names, gzip and brotli variants (kept only where smaller), SEA asset keys.
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import { AssetLinkError, scanAssetDir } from '../../runtime-stubs/assets/scan.ts';
import { SeabuildError } from '../errors.ts';
import { isCompressible } from '../../runtime-stubs/assets/mime.ts';
import type { AssetRecord } from '../../runtime-stubs/assets/manifest.ts';

const gzipAsync = promisify(gzip);
const brotliAsync = promisify(brotliCompress);

/** The digested, precompressed assets of a build. */
export interface AssetSet {
  dir: string;
  records: AssetRecord[];
  /** SEA asset key → file to embed (originals and variants). */
  files: Record<string, string>;
  totalBytes: number;
  embeddedBytes: number;
}

/** Digests and precompresses every file of `dir` into `workDir/assets`. */
export async function collectAssets(dir: string, prefix: string, workDir: string): Promise<AssetSet> {
  const files: Record<string, string> = {};
  const records: AssetRecord[] = [];
  for (const scanned of scanAssets(dir, prefix)) {
    const key = `assets/${scanned.url.slice(prefix.length)}`;
    files[key] = scanned.key;
    const record: AssetRecord = { ...scanned, key, variants: {} };
    if (isCompressible(scanned.contentType)) {
      const bytes = await readFile(scanned.key);
      // Maximum levels: compressed once at build time, served many times. zlib output is deterministic.
      const variants = {
        br: await brotliAsync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length } }),
        gzip: await gzipAsync(bytes, { level: 9 }),
      };
      for (const [encoding, compressed] of Object.entries(variants) as Array<['br' | 'gzip', Buffer]>) {
        if (compressed.length >= bytes.length) continue;
        const variantKey = `${key}.${encoding === 'br' ? 'br' : 'gz'}`;
        const path = join(workDir, variantKey);
        await mkdir(dirname(path), { recursive: true });
        await writeFile(path, compressed);
        files[variantKey] = path;
        record.variants[encoding] = { key: variantKey, sizeBytes: compressed.length };
      }
    }
    records.push(record);
  }
  const totalBytes = records.reduce((n, r) => n + r.sizeBytes, 0);
  const embeddedBytes = totalBytes + records.reduce((n, r) => n + (r.variants.br?.sizeBytes ?? 0) + (r.variants.gzip?.sizeBytes ?? 0), 0);
  return { dir, records, files, totalBytes, embeddedBytes };
}

function scanAssets(dir: string, prefix: string): AssetRecord[] {
  try {
    return scanAssetDir(dir, prefix);
  } catch (error) {
    if (!(error instanceof AssetLinkError)) throw error;
    throw new SeabuildError({ code: error.code, message: error.message, file: error.path, fix: 'replace the link with a copy of the file, or move the file into the asset folder', cause: error });
  }
}
