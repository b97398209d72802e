// The runtime's view of a single executable: build info and files from `node:sea` assets.
import { getAsset, isSea } from 'node:sea';
import { buildInfoKey, type RuntimeSource } from './build-info.ts';

/** The SEA source, or undefined when not running as a single executable. */
export function loadSeaSource(): RuntimeSource | undefined {
  if (!isSea()) return undefined;
  const cache = new Map<string, Buffer>();
  const read = (key: string): Buffer => {
    let bytes = cache.get(key);
    if (!bytes) {
      // getAsset copies out of the executable's memory-mapped blob; keep the copy for the next request.
      bytes = Buffer.from(getAsset(key));
      cache.set(key, bytes);
    }
    return bytes;
  };
  return { info: JSON.parse(read(buildInfoKey).toString('utf8')), read, isExecutable: true };
}
