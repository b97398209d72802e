// An HTTP proxy in front of a real registry that refuses some requests with a distribution error
// document, as a registry with an admission policy does (e.g. one that allows no artifacts).
import http from 'node:http';

export interface RefusingProxy { address: string; refused: string[]; stop(): Promise<void> }

/** Forwards every request to `target` except those `refuse(method, path)` names: 403 DENIED `message`. */
export async function startRefusingProxy(target: string, refuse: (method: string, path: string) => boolean, message: string): Promise<RefusingProxy> {
  const refused: string[] = [];
  const server = http.createServer((request, response) => {
    const path = request.url ?? '/';
    if (refuse(request.method ?? 'GET', path)) {
      refused.push(`${request.method} ${path}`);
      request.resume();
      response.writeHead(403, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ errors: [{ code: 'DENIED', message, detail: null }] }));
      return;
    }
    const [host, port] = [target.slice(0, target.lastIndexOf(':')), Number(target.slice(target.lastIndexOf(':') + 1))];
    const upstream = http.request({ host, port, method: request.method, path, headers: request.headers }, (answer) => {
      response.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(response);
    });
    upstream.on('error', () => response.destroy());
    request.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (typeof address !== 'object' || !address) throw new Error('proxy did not listen');
  return { address: `127.0.0.1:${address.port}`, refused, stop: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }) };
}
