// Graceful stop of HTTP servers (http, https, http2) without losing a request: the promise a load
// balancer relies on is that every request that reached an open connection gets an answer.
// 1. For `delayMs` everything keeps serving (a runApp app's /healthz already says 503), so that
//    Kubernetes can take the pod out of its endpoints before the listener goes away.
// 2. The listener closes (new connections are refused). Connections stay open: each request that
//    arrives on one is answered with `Connection: close`, and the socket closes after that answer.
//    http.Server#close() would also close idle keep-alive sockets at once — a client may be sending
//    on one at that moment, and gets ECONNRESET (32 of 13,005 requests under load, measured) — so
//    the listener is closed with net.Server's close instead.
// 3. A connection that stays idle for `idleCloseMs` is closed: the same bet every keep-alive server
//    makes with its keep-alive timeout, which HTTP clients are built to handle.
// 4. At `graceMs` whatever is left is destroyed, and the exit code says so (1).
import type { Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { lingerOnEarlyClose } from './linger.ts';

export interface DrainOptions {
  graceMs: number;
  delayMs: number;
  /** Close a connection idle this long while draining; default 1000 ms. */
  idleCloseMs?: number;
  log: (line: string) => void;
}

/** The servers being watched, and the stop that drains them. */
export interface Drain {
  track(server: Server): void;
  readonly draining: boolean;
  readonly servers: number;
  /** Drains every tracked server; resolves with the exit code (0 drained, 1 grace ran out). */
  stop(signal: string): Promise<number>;
}

interface Connection { idleSince: number; isActive(): boolean; close(): void }

const net = process.getBuiltinModule('node:net');

/** A drain over the servers passed to `track`. */
export function createDrain(options: DrainOptions): Drain {
  const servers = new Set<Server>();
  const connections = new Map<object, Connection>();
  let draining = false;
  let stopping: Promise<number> | undefined;

  // Nothing here runs per request (issue 24: a 'request' listener and three response listeners made a
  // node:http server use 19 % more CPU than a raw SEA, docs/BENCHMARKS.md). Per connection: the lingering close, and whether
  // a response is under way, which Node itself records as socket._httpMessage (set while a response
  // owns the socket, cleared when it finishes).
  const watchHttp1 = (server: Server): void => {
    const add = (socket: Socket): void => {
      lingerOnEarlyClose(socket);
      connections.set(socket, { idleSince: 0, isActive: () => (socket as any)._httpMessage != null, close: () => socket.destroy() });
      socket.once('close', () => connections.delete(socket));
    };
    // https emits the TLS socket (what req.socket is) as secureConnection; plain http as connection.
    server.on(typeof (server as any).addContext === 'function' ? 'secureConnection' : 'connection', add);
  };
  const watchHttp2 = (server: any): void => {
    server.on('session', (session: any) => {
      // GOAWAY lets the session finish its streams and refuse new ones, without a race.
      connections.set(session, { idleSince: 0, isActive: () => true, close: () => session.destroy() });
      session.once('close', () => connections.delete(session));
      if (draining) session.close();
    });
  };
  // From the stop on, every answer closes its connection.
  const closeAfterAnswer = (_req: unknown, res: ServerResponse): void => {
    if (!res.headersSent) res.setHeader('Connection', 'close');
  };

  const stop = async (signal: string): Promise<number> => {
    draining = true;
    for (const server of servers) if (typeof (server as any).closeIdleConnections === 'function') server.prependListener('request', closeAfterAnswer);
    options.log(`${signal}: draining${options.delayMs > 0 ? ` after ${options.delayMs} ms` : ''} (up to ${options.graceMs} ms)`);
    const deadline = Date.now() + options.graceMs;
    if (options.delayMs > 0) await sleep(Math.min(options.delayMs, options.graceMs));
    for (const server of servers) net.Server.prototype.close.call(server);
    for (const [handle] of connections) if (typeof (handle as any).goaway === 'function') (handle as any).close();
    const idleCloseMs = options.idleCloseMs ?? 1000;
    // When a connection fell idle before the stop is not recorded (that would cost per request): each
    // one counts as idle from here, so a client sending on it right now still gets its answer.
    for (const connection of connections.values()) connection.idleSince = Date.now();
    while (connections.size > 0) {
      if (Date.now() >= deadline) {
        options.log(`grace period over: closing ${connections.size} remaining connection${connections.size === 1 ? '' : 's'}`);
        for (const connection of connections.values()) connection.close();
        return 1;
      }
      const now = Date.now();
      for (const connection of connections.values()) {
        if (connection.isActive()) connection.idleSince = now;
        else if (now - (connection.idleSince ||= now) >= idleCloseMs) connection.close();
      }
      await sleep(50);
    }
    return 0;
  };

  return {
    track(server) {
      if (servers.has(server)) return;
      servers.add(server);
      if (typeof (server as any).closeIdleConnections === 'function') watchHttp1(server);
      else watchHttp2(server);
    },
    get draining() { return draining; },
    get servers() { return servers.size; },
    stop: (signal) => (stopping ??= stop(signal)),
  };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => { setTimeout(resolve, ms); });
}
