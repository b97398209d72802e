// An ES module service as node runs it: routes import()ed by computed URLs, a static folder served
// from disk by sirv (a directory walk at start, then stat + streams), import.meta of its own file.
import { createServer } from 'node:http';
import { readdirSync } from 'node:fs';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import sirv from 'sirv';

const routesDir = new URL('./routes/', import.meta.url);
const routes = {};
for (const name of readdirSync(routesDir).sort()) routes[`/${basename(name, '.mjs')}`] = (await import(new URL(name, routesDir))).default;
const statics = sirv(fileURLToPath(new URL('../public', import.meta.url)), { dev: false, etag: true });

createServer((req, res) => {
  if (req.url === '/meta') return res.end(JSON.stringify({ file: basename(import.meta.filename), url: import.meta.url.endsWith('/esm/server.mjs'), argv1: basename(process.argv[1]) }));
  const route = routes[req.url];
  if (route) return res.end(route());
  statics(req, res, () => { res.statusCode = 404; res.end('not found\n'); });
}).listen(Number(process.env.PORT ?? 3000), '127.0.0.1');
