// An ESM service that awaits its configuration at the top level before it serves (fastify).
import Fastify from 'fastify';
import { readFile } from 'node:fs/promises';

const config = JSON.parse(await readFile(new URL('./config.json', import.meta.url), 'utf8'));
const app = Fastify({ logger: false });
app.get('/greeting', async () => ({ greeting: config.greeting, main: import.meta.main ?? 'n/a' }));
app.get('/items/:id', async (request) => ({ id: Number(request.params.id), name: config.items[request.params.id] ?? null }));

await app.listen({ port: 0, host: '127.0.0.1' });
const { port } = app.server.address();
for (const path of ['/greeting', '/items/1', '/items/7', '/missing']) {
  const response = await fetch(`http://127.0.0.1:${port}${path}`);
  console.log(`GET ${path} ${response.status} ${await response.text()}`);
}
await app.close();
