// Lists an asset folder as records with digested URLs. Shared by the build (src/embed/assets.ts)
// and development mode, so both give the same URLs for the same files.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { contentTypeFor } from './mime.ts';
import { digestedName, sha256Hex, type AssetRecord } from './manifest.ts';

/** Every file under `dir`, sorted, as a record whose `key` is its absolute path on disk. */
export function scanAssetDir(dir: string, prefix: string): AssetRecord[] {
  const records: AssetRecord[] = [];
  const walk = (current: string): void => {
    for (const name of readdirSync(current).sort()) {
      const path = join(current, name);
      if (statSync(path).isDirectory()) {
        walk(path);
        continue;
      }
      const bytes = readFileSync(path);
      const logicalName = relative(dir, path).split(sep).join('/');
      const sha256 = sha256Hex(bytes);
      records.push({
        logicalName,
        url: prefix + digestedName(logicalName, sha256),
        sha256,
        sizeBytes: bytes.length,
        contentType: contentTypeFor(name),
        key: path,
        variants: {},
      });
    }
  };
  walk(dir);
  return records;
}
