// The smoke run's boot happens in a network namespace with only loopback: no port clash with a dev
// server on the build machine and no outbound call by accident. A database the user names in the
// boot's environment (`--verify-env DATABASE_URL=postgres://…@host:5432/db`) is the one exception:
// exactly that host:port is forwarded in. Outside, a unix socket per target connects to the real
// server; inside, boot-driver.cjs listens on 127.0.0.1:PORT and pipes each connection to that socket
// (a unix socket is a file, which a network namespace does not hide).
import { mkdtemp, rm } from 'node:fs/promises';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A server named by a variable of the boot's environment. */
export interface ForwardTarget {
  variable: string;
  host: string;
  port: number;
}

/** Default ports of the URL schemes services take their database from. */
const defaultPorts: Record<string, number> = { 'postgres:': 5432, 'postgresql:': 5432, 'mysql:': 3306, 'mariadb:': 3306, 'redis:': 6379, 'rediss:': 6379, 'mongodb:': 27017, 'amqp:': 5672 };

/**
 * The servers named by URLs in `env`, and `env` as the service sees it inside the namespace: a host
 * other than loopback becomes 127.0.0.1 there (the namespace has no other address and no DNS).
 */
export function forwardTargets(env: Record<string, string>): { targets: ForwardTarget[]; env: Record<string, string> } {
  const targets: ForwardTarget[] = [];
  const inside: Record<string, string> = { ...env };
  for (const [variable, value] of Object.entries(env)) {
    let url: URL;
    try { url = new URL(value); } catch { continue; }
    const port = url.port ? Number(url.port) : defaultPorts[url.protocol];
    if (!url.hostname || port === undefined || url.protocol.startsWith('http')) continue;
    const host = url.hostname.replace(/^\[|\]$/g, '');
    targets.push({ variable, host, port });
    if (!isLoopback(host)) {
      url.hostname = '127.0.0.1';
      inside[variable] = url.href;
    }
  }
  // Two variables naming one server share its forward.
  const unique = targets.filter((t, i) => targets.findIndex((o) => o.host === t.host && o.port === t.port) === i);
  return { targets: unique, env: inside };
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\./.test(host);
}

/** The outside half of the forwards: one unix socket per target. */
export interface Forwarders {
  /** What boot-driver.cjs listens on inside: 127.0.0.1:port → socket. */
  inside: Array<{ port: number; socket: string; target: string }>;
  /** Connections the build machine could not make to a target, e.g. `127.0.0.1:5432: connect ECONNREFUSED`. */
  failures(): string[];
  stop(): Promise<void>;
}

/** Starts a unix-socket forwarder to each target. */
export async function startForwarders(targets: ForwardTarget[]): Promise<Forwarders> {
  const dir = await mkdtemp(join(tmpdir(), 'seabuild-forward-'));
  const servers: Server[] = [];
  const sockets = new Set<Socket>();
  const failed: string[] = [];
  const inside: Forwarders['inside'] = [];
  for (const [i, target] of targets.entries()) {
    const socket = join(dir, `${i}.sock`);
    const name = `${target.host.includes(':') ? `[${target.host}]` : target.host}:${target.port}`;
    // Half-open both ways: a client that ends its side still gets the server's answer.
    const server = createServer({ allowHalfOpen: true }, (client) => {
      const upstream = createConnection({ host: target.host, port: target.port, allowHalfOpen: true });
      for (const s of [client, upstream]) sockets.add(s);
      upstream.on('error', (error) => { if (!failed.includes(`${name}: ${error.message}`)) failed.push(`${name}: ${error.message}`); client.destroy(); });
      client.on('error', () => upstream.destroy());
      client.pipe(upstream).pipe(client);
      const forget = (): void => { sockets.delete(client); sockets.delete(upstream); };
      client.on('close', forget);
    });
    await new Promise<void>((resolve, reject) => { server.once('error', reject); server.listen(socket, resolve); });
    servers.push(server);
    inside.push({ port: target.port, socket, target: name });
  }
  return {
    inside,
    failures: () => [...failed],
    stop: async () => {
      for (const s of sockets) s.destroy();
      await Promise.all(servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
      await rm(dir, { recursive: true, force: true });
    },
  };
}
