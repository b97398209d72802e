// The same from an ES module, by import.meta.resolve (bundled as CommonJS: no import.meta there).
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { fileURLToPath } from 'node:url';
const url = import.meta.resolve('@fontsource/vt323/files/vt323-vietnamese-400-normal.woff2');
const hash = createHash('sha256');
createReadStream(fileURLToPath(url)).on('data', (chunk) => hash.update(chunk)).on('end', () => {
  console.log(url.slice(url.lastIndexOf('/') + 1), import.meta.resolve('node:fs'), import.meta.resolve('fs'), import.meta.resolve('./x.js').endsWith('/entries/x.js'), hash.digest('hex'));
});
