// Lists an asset folder as records with digested URLs. Shared by the build (src/embed/assets.ts)
// and development mode, so both give the same URLs for the same files.
import { lstatSync, readFileSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { contentTypeFor } from './mime.ts';
import { digestedName, sha256Hex, type AssetRecord } from './manifest.ts';

/** An asset that is a symbolic link to a file outside the asset folder (code ASSET_LINK_OUTSIDE). */
export class AssetLinkError extends Error {
  readonly code = 'ASSET_LINK_OUTSIDE';
  readonly path: string;
  constructor(path: string, target: string) {
    super(`${path} is a symbolic link to ${target}, outside the asset folder: it is not served`);
    this.path = path;
  }
}

/**
 * Every file under `dir`, sorted, as a record whose `key` is its absolute path on disk. A symbolic
 * link is served as what it points to only when that lies inside `dir`: a link to /etc/passwd in
 * public/ must not become an asset. Throws AssetLinkError for one that points outside.
 */
export function scanAssetDir(dir: string, prefix: string): AssetRecord[] {
  const records: AssetRecord[] = [];
  const realDir = realpathSync(dir);
  const walk = (current: string): void => {
    for (const name of readdirSync(current).sort()) {
      const path = join(current, name);
      if (lstatSync(path).isSymbolicLink()) {
        const target = realpathSync(path);
        if (!target.startsWith(`${realDir}${sep}`)) throw new AssetLinkError(path, target);
      }
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
