// One sort order for everything written to an output (SEA asset keys, blobs, files, components): by
// UTF-16 code unit, as `<` compares strings (byte order for ASCII), the same on every machine, unlike localeCompare.

/** -1, 0 or 1 as `a` sorts before, with or after `b` in code-unit order. */
export function byteOrder(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
