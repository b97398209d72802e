// HTTP proxies in front of a real registry: one that refuses some requests with a distribution error
// document, as a registry with an admission policy does (e.g. one that allows no artifacts), and one
// that injects transient faults (a 503, a connection reset) or holds requests back.
import http from 'node:http';

/** What the fault proxy does with one request: answer `status` itself, reset the connection, or (undefined) forward it. */
export type Fault = { status: number; body?: string } | 'reset' | undefined;

export interface FaultProxy {
  address: string;
  /** `METHOD path` of every request, in arrival order. */
  requests: string[];
  /** `METHOD path → fault` of every request the proxy did not forward. */
  faults: string[];
  stop(): Promise<void>;
}

/** Forwards every request to `target` unless `decide(method, path)` (which may wait) names a fault. */
export async function startFaultProxy(target: string, decide: (method: string, path: string) => Fault | Promise<Fault>): Promise<FaultProxy> {
  const requests: string[] = [];
  const faults: string[] = [];
  const server = http.createServer(async (request, response) => {
    const method = request.method ?? 'GET';
    const path = request.url ?? '/';
    requests.push(`${method} ${path}`);
    const fault = await decide(method, path);
    if (fault === 'reset') {
      faults.push(`${method} ${path} → reset`);
      request.socket.destroy();
      return;
    }
    if (fault) {
      faults.push(`${method} ${path} → ${fault.status}`);
      request.resume();
      response.writeHead(fault.status, { 'content-type': 'application/json' });
      response.end(fault.body ?? '');
      return;
    }
    const [host, port] = [target.slice(0, target.lastIndexOf(':')), Number(target.slice(target.lastIndexOf(':') + 1))];
    const upstream = http.request({ host, port, method, path, headers: request.headers }, (answer) => {
      response.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(response);
    });
    upstream.on('error', () => response.destroy());
    request.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (typeof address !== 'object' || !address) throw new Error('proxy did not listen');
  return { address: `127.0.0.1:${address.port}`, requests, faults, stop: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }) };
}

export interface RefusingProxy { address: string; refused: string[]; stop(): Promise<void> }

/** Forwards every request to `target` except those `refuse(method, path)` names: 403 DENIED `message`. */
export async function startRefusingProxy(target: string, refuse: (method: string, path: string) => boolean, message: string): Promise<RefusingProxy> {
  const body = JSON.stringify({ errors: [{ code: 'DENIED', message, detail: null }] });
  const proxy = await startFaultProxy(target, (method, path) => (refuse(method, path) ? { status: 403, body } : undefined));
  return { address: proxy.address, get refused() { return proxy.faults.map((fault) => fault.replace(/ → \d+$/, '')); }, stop: proxy.stop };
}
