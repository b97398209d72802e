// Started by the server as `node child.mjs ARGS`: an ES module run as the main module.
import { basename } from 'node:path';
process.stdout.write(JSON.stringify({ file: basename(import.meta.filename), script: basename(process.argv[1]), args: process.argv.slice(2) }));
