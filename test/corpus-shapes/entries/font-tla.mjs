// import.meta.resolve before a top-level await: the app becomes an ES module of the tree (esm-entry.ts).
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
const url = import.meta.resolve('@fontsource/vt323/files/vt323-latin-ext-400-normal.woff2');
const bytes = await readFile(new URL(url));
console.log(url.slice(url.lastIndexOf('/') + 1), bytes.length, createHash('sha256').update(bytes).digest('hex'));
