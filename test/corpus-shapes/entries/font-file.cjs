// A page renderer inlines a self-hosted font: a data file of ANOTHER package, named by specifier
// (require.resolve) and read with fs.
const { createHash } = require('node:crypto');
const { readFileSync } = require('node:fs');
const { basename } = require('node:path');
const file = require.resolve('@fontsource/vt323/files/vt323-latin-400-normal.woff2');
const bytes = readFileSync(file);
console.log(basename(file), bytes.length, createHash('sha256').update(bytes).digest('hex'));
