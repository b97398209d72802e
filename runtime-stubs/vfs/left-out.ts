// The package files the build machine had that the tree does not carry (their code is in the
// bundle, or nothing reached them): tree paths stored as sorted 32-bit FNV-1a hashes, 4 bytes a file,
// in the SEA asset `seabuild/tree-left-out`, read only once something is not found. Only such a path
// gets "is not in the executable; add it with include": a package probing for a file it does not
// ship gets Node's own ENOENT, as it would on disk. A hash collision can only add the hint.

/** SEA asset key of the left-out set. */
export const leftOutKey = 'seabuild/tree-left-out';

/** FNV-1a over the UTF-16 code units of a tree path, unsigned. */
export function pathHash(rel: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < rel.length; i++) hash = Math.imul(hash ^ rel.charCodeAt(i), 0x01000193) >>> 0;
  return hash;
}

/** The asset's bytes for `paths`: unique hashes, ascending, little-endian. */
export function encodeLeftOut(paths: Iterable<string>): Uint8Array {
  const hashes = [...new Set([...paths].map(pathHash))].sort((a, b) => a - b);
  const bytes = new Uint8Array(hashes.length * 4);
  const view = new DataView(bytes.buffer);
  hashes.forEach((hash, i) => view.setUint32(i * 4, hash, true));
  return bytes;
}

/** Membership in an encoded set (binary search); an absent asset holds nothing. */
export function leftOutSet(bytes: Uint8Array | undefined): (rel: string) => boolean {
  if (!bytes || bytes.byteLength < 4) return () => false;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const count = bytes.byteLength >>> 2;
  return (rel) => {
    const wanted = pathHash(rel);
    let low = 0;
    let high = count - 1;
    while (low <= high) {
      const middle = (low + high) >>> 1;
      const value = view.getUint32(middle * 4, true);
      if (value === wanted) return true;
      if (value < wanted) low = middle + 1;
      else high = middle - 1;
    }
    return false;
  };
}

/** Whether package `request` (a bare specifier) was installed where Node would look from tree folder `fromRel`. */
export function packageExistedAtBuild(request: string, fromRel: string, existedAtBuild: (rel: string) => boolean): boolean {
  const parts = request.split('/');
  const name = parts[0]!.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
  for (let dir = fromRel; ; dir = dir.includes('/') ? dir.slice(0, dir.lastIndexOf('/')) : '') {
    if (!dir.endsWith('/node_modules') && existedAtBuild(`${dir === '' ? '' : `${dir}/`}node_modules/${name}/package.json`)) return true;
    if (dir === '') return false;
  }
}
