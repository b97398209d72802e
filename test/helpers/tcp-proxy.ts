// A TCP proxy on 127.0.0.1 that counts the bytes each way: how many bytes a real client (podman,
// skopeo, seabuild's push) put on the wire. `cutAfterUpBytes` drops every connection once the
// client has sent that many bytes in total: an interrupted push, half way.
import { createConnection, createServer, type Socket } from 'node:net';

export interface TcpProxy {
  /** `127.0.0.1:PORT`: give this to the client instead of the target. */
  address: string;
  /** Bytes client → target and target → client since start (or the last reset). */
  upBytes(): number;
  downBytes(): number;
  reset(): void;
  /** Changes the cut for connections' next bytes (undefined: never cut). */
  setCut(cutAfterUpBytes: number | undefined): void;
  /** Cuts, once `afterUpBytes` went up, right before the next request line starting with `method ` (a clean boundary). */
  setCutBeforeRequest(method: string | undefined, afterUpBytes?: number): void;
  stop(): Promise<void>;
}

export async function startTcpProxy(target: string, options: { cutAfterUpBytes?: number } = {}): Promise<TcpProxy> {
  const [host, port] = [target.slice(0, target.lastIndexOf(':')), Number(target.slice(target.lastIndexOf(':') + 1))];
  let up = 0;
  let down = 0;
  let cutAt = options.cutAfterUpBytes;
  let cutBefore: { method: string; afterUpBytes: number } | undefined;
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = createConnection({ host, port });
    sockets.add(client); sockets.add(upstream);
    const close = () => { client.destroy(); upstream.destroy(); sockets.delete(client); sockets.delete(upstream); };
    let cutHere = false; // once cut, nothing more of this connection goes through
    client.on('data', (chunk: Buffer) => {
      if (cutHere) return;
      const at = cutBefore && up >= cutBefore.afterUpBytes ? chunk.indexOf(`${cutBefore.method} /v2/`) : -1;
      if (at >= 0) {
        up += at;
        cutBefore = undefined;
        cutHere = true;
        upstream.write(chunk.subarray(0, at), () => setTimeout(close, 200));
        return;
      }
      const cut = cutAt;
      if (cut !== undefined && up + chunk.byteLength >= cut) {
        const allowed = Math.max(0, cut - up);
        up += allowed;
        cutHere = true;
        upstream.write(chunk.subarray(0, allowed), () => setTimeout(close, 200));
        return;
      }
      up += chunk.byteLength;
      if (!upstream.write(chunk)) client.pause();
    });
    upstream.on('drain', () => client.resume());
    upstream.on('data', (chunk: Buffer) => { down += chunk.byteLength; if (!client.write(chunk)) upstream.pause(); });
    client.on('drain', () => upstream.resume());
    client.on('close', close); upstream.on('close', close);
    client.on('error', close); upstream.on('error', close);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (typeof address !== 'object' || !address) throw new Error('proxy did not listen');
  return {
    address: `127.0.0.1:${address.port}`,
    upBytes: () => up,
    downBytes: () => down,
    reset: () => { up = 0; down = 0; },
    setCut: (cutAfterUpBytes) => { cutAt = cutAfterUpBytes; },
    setCutBeforeRequest: (method, afterUpBytes = 0) => { cutBefore = method ? { method, afterUpBytes } : undefined; },
    stop: () => new Promise<void>((resolve) => { for (const socket of sockets) socket.destroy(); server.close(() => resolve()); }),
  };
}
