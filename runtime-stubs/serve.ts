// `serve`: start the app's HTTP server, answer /healthz and assets in front of it, and stop
// gracefully on SIGTERM/SIGINT — the process is often PID 1 in a container, where a Node process
// without handlers ignores SIGTERM and `docker stop` waits its whole timeout (measured).
import { createServer, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http';
import type { AppModule, AssetStore, ServeContext } from './contract.ts';
import { createDrain } from './drain.ts';

export interface ServeOptions {
  port: number;
  host: string;
  drain: { graceMs: number; delayMs: number };
  assets: AssetStore;
  log: (line: string) => void;
}

/** Runs `app.serve` until a signal drains it; resolves with the exit code. */
export async function serveApp(app: AppModule, base: Omit<ServeContext, 'signal' | 'port' | 'host' | 'assets'>, options: ServeOptions): Promise<number> {
  const controller = new AbortController();
  const drain = createDrain({ ...options.drain, log: options.log });
  const ctx: ServeContext = { ...base, port: options.port, host: options.host, assets: options.assets, signal: controller.signal };
  const answer = await app.serve(ctx);
  const server = typeof answer === 'function' ? createServer(answer as RequestListener) : answer;
  const appListeners = server.listeners('request') as RequestListener[];
  server.removeAllListeners('request');
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    if (isHealthz(req)) {
      res.writeHead(drain.draining ? 503 : 200, { 'Content-Type': 'application/json' }).end(`{"status":"${drain.draining ? 'draining' : 'ok'}"}`);
    } else if (!options.assets.handle(req, res)) {
      for (const listener of appListeners) listener(req, res);
    }
  });
  drain.track(server);
  if (!server.listening) await listen(server, options.port, options.host);
  const address = server.address();
  const shown = typeof address === 'object' && address ? `${address.address}:${address.port}` : String(address);
  options.log(`${base.version.name} ${base.version.version} listening on http://${shown}`);

  return new Promise<number>((resolveExit) => {
    const stop = (signal: string): void => {
      controller.abort();
      drain.stop(signal).then(resolveExit);
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
  });
}

function isHealthz(req: IncomingMessage): boolean {
  return (req.method === 'GET' || req.method === 'HEAD') && (req.url === '/healthz' || req.url?.startsWith('/healthz?') === true);
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => { server.off('error', reject); resolveListen(); });
  });
}
