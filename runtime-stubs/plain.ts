// A plain service (an entry that calls listen() itself) as PID 1 in a container: Node installs no
// SIGTERM handler, so `docker stop` waits its whole timeout and then kills (measured). The runtime
// watches every HTTP server the app makes listen and, when the app has no handler of its own for
// the signal, drains them and exits 0. An app that handles the signal itself is left alone.
import type { Server } from 'node:http';
import { createDrain, type Drain } from './drain.ts';

const net = process.getBuiltinModule('node:net');
const signals = ['SIGTERM', 'SIGINT'] as const;

/** Watches the HTTP servers the app will open; signal handlers are installed at the first listen. */
export function watchServers(options: { graceMs: number; delayMs: number }): void {
  let drain: Drain | undefined;
  const listen = net.Server.prototype.listen;
  net.Server.prototype.listen = function (this: Server, ...args: unknown[]) {
    if (isHttpServer(this)) {
      if (!drain) {
        drain = createDrain({ ...options, log: (line) => process.stderr.write(`${line}\n`) });
        for (const signal of signals) process.on(signal, onSignal);
        hideFromListeners(onSignal);
      }
      drain.track(this);
    }
    return listen.apply(this, args as never);
  } as typeof listen;

  function onSignal(signal: NodeJS.Signals): void {
    // Any other listener is the app's, and then the app decides what the signal does.
    if (process.listeners(signal).length > 0) return;
    drain!.stop(signal).then((code) => process.exit(code));
  }
}

/**
 * The runtime's handler stands in for Node's default action, which is no listener: process.listeners()
 * leaves it out. signal-exit (verdaccio's lockfile, execa, write-file-atomic) re-raises a signal only
 * when its listeners are the only ones; counting ours, neither would act and SIGTERM would be ignored
 * until SIGKILL. listenerCount() still counts it: Node itself asks it whether to keep the signal watched.
 */
function hideFromListeners(handler: (signal: NodeJS.Signals) => void): void {
  const isWatched = (name: string | symbol): boolean => (signals as readonly (string | symbol)[]).includes(name);
  const { listeners, rawListeners } = process as unknown as Record<string, (this: unknown, name: string | symbol, ...rest: unknown[]) => Function[]>;
  const without = (list: Function[]): Function[] => list.filter((listener) => listener !== handler);
  process.listeners = function (this: NodeJS.Process, name: string | symbol) {
    return isWatched(name) ? without(listeners!.call(this, name)) : listeners!.call(this, name);
  } as NodeJS.Process['listeners'];
  process.rawListeners = function (this: NodeJS.Process, name: string | symbol) {
    return isWatched(name) ? without(rawListeners!.call(this, name)) : rawListeners!.call(this, name);
  } as NodeJS.Process['rawListeners'];
}

function isHttpServer(server: object): boolean {
  // http.Server and https.Server have closeIdleConnections; http2's servers are Http2Server/Http2SecureServer.
  return typeof (server as any).closeIdleConnections === 'function' || /^Http2(Secure)?Server$/.test(server.constructor?.name ?? '');
}
