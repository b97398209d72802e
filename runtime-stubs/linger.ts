// Lingering close (nginx's `lingering_close`): when a response ends before its request body has
// arrived (a 413 on the Content-Length alone, a 4xx on a bad upload) and the connection is to
// close, Node destroys the socket as soon as the answer is written. Body bytes the client is
// still sending then meet a closed socket, the kernel answers them with a RST, and the client
// sees ECONNRESET/EPIPE instead of the answer (measured: node's fetch got the 413 for 13 to 23
// of 40 uploads of 2 MB; Chromium shows a broken connection). Here the socket instead sends its
// FIN after the answer and keeps reading and discarding what the client sends, for a bounded
// time and size, and only then closes: the client finishes its write and reads the answer.
import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';

/** How long and how much a closing connection keeps discarding. */
export interface LingerLimits {
  /** Longest wait in all after the answer (nginx lingering_time: 30 s). */
  totalMs: number;
  /** Longest silence from the client (nginx lingering_timeout: 5 s). */
  idleMs: number;
  /** Most bytes discarded before closing anyway. */
  maxBytes: number;
}

// Shorter than nginx's: a process that lingers delays its own drain on SIGTERM, and a client on a
// working link finishes sending a body of a few MB well within these.
export const DEFAULT_LINGER: Readonly<LingerLimits> = Object.freeze({ totalMs: 5000, idleMs: 2000, maxBytes: 64 * 1024 * 1024 });

type ClosingSocket = Socket & { destroySoon?: () => void };

/**
 * Call once per connection, before it serves a request. When Node closes the connection after an
 * answer (it calls socket.destroySoon() for a closing one) while the request's body is still
 * arriving, the close becomes a lingering one. Nothing runs per request (issue 24).
 */
export function lingerOnEarlyClose(socket: Socket, limits: Readonly<LingerLimits> = DEFAULT_LINGER): void {
  const closeNow = (socket as ClosingSocket).destroySoon;
  if (typeof closeNow !== 'function') return;
  (socket as ClosingSocket).destroySoon = function lingeringClose(this: ClosingSocket): void {
    // Node's own bookkeeping says which request that is: its HTTP parser keeps the request as
    // `incoming` until the request's body has ended (_http_server.js clearIncoming).
    const request = (this as { parser?: { incoming?: IncomingMessage | null } }).parser?.incoming;
    if (!request || request.complete || this.destroyed) return closeNow.call(this);
    this.destroySoon = closeNow;
    linger(this, limits);
  };
}

// Half-close (FIN after the answer), read and drop until the client ends, falls silent, or a
// limit is reached, then destroy. Node's HTTP parser stays attached and drops the dumped body.
function linger(socket: Socket, limits: Readonly<LingerLimits>): void {
  let discardedBytes = 0;
  const close = (): void => {
    clearTimeout(total);
    clearTimeout(idle);
    socket.destroy();
  };
  const total = setTimeout(close, limits.totalMs);
  let idle = setTimeout(close, limits.idleMs);
  socket.on('data', (chunk: Buffer) => {
    discardedBytes += chunk.length;
    if (discardedBytes > limits.maxBytes) return close();
    clearTimeout(idle);
    idle = setTimeout(close, limits.idleMs);
  });
  socket.once('end', close);
  socket.once('close', close);
  socket.resume();
  socket.end();
}
