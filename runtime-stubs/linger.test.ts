// The lingering close against node's fetch: a server in its own process (in one process the
// client never loses the race) answers 413 before reading the body. Without the linger, 2 of 40
// such uploads of 2 MB got the answer (the rest EPIPE, measured); with it every one must.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { connect } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { freePort } from '../test/helpers/http.ts';

const lingerUrl = pathToFileURL(new URL('./linger.ts', import.meta.url).pathname).href;

// Answers /keep with a keep-alive 200 and everything else with an early 413 + Connection: close;
// LIMITS tightens the bounds so a test can watch them act.
const serverSource = `
import { createServer } from 'node:http';
import { lingerOnEarlyClose, DEFAULT_LINGER } from ${JSON.stringify(lingerUrl)};
const limits = { ...DEFAULT_LINGER, ...JSON.parse(process.env.LIMITS ?? '{}') };
createServer((req, res) => {
  if (req.url === '/keep') { req.resume(); req.on('end', () => res.end('ok')); return; }
  res.writeHead(413, { Connection: 'close', 'Content-Type': 'text/plain', 'Content-Length': 9 }).end('too large');
}).on('connection', (socket) => lingerOnEarlyClose(socket, limits)).listen(Number(process.env.PORT), '127.0.0.1', () => console.log('listening'));
`;

async function startServer(limits: object = {}): Promise<{ port: number; child: ChildProcess }> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--input-type=module', '-e', serverSource], { env: { ...process.env, PORT: String(port), LIMITS: JSON.stringify(limits) }, stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => { if (chunk.toString().includes('listening')) resolve(); });
    child.on('exit', (code) => reject(new Error(`server exited ${code}`)));
  });
  return { port, child };
}

async function uploadForm(port: number, sizeBytes: number): Promise<string> {
  const form = new FormData();
  form.append('image', new Blob([new Uint8Array(sizeBytes)]), 'big.png');
  try {
    const answer = await fetch(`http://127.0.0.1:${port}/`, { method: 'POST', body: form });
    return `${answer.status} ${await answer.text()}`;
  } catch (error) {
    return `error ${(error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message}`;
  }
}

// Opens a raw connection, sends `head` and then `bodyBytes` (as fast as the socket takes them);
// resolves with what came back and how many body bytes the server let in before it closed.
function rawUpload(port: number, head: string, bodyBytes: number): Promise<{ answer: string; sentBytes: number }> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let answer = '';
    let sentBytes = 0;
    const chunk = Buffer.alloc(64 * 1024);
    socket.on('data', (data: Buffer) => { answer += data.toString('latin1'); });
    socket.on('error', () => {});
    socket.on('close', () => resolve({ answer, sentBytes }));
    socket.write(head);
    const pump = (): void => {
      while (sentBytes < bodyBytes && !socket.destroyed) {
        sentBytes += chunk.length;
        if (!socket.write(chunk)) return void socket.once('drain', pump);
      }
    };
    pump();
  });
}

describe('lingering close after an early answer', () => {
  let server: { port: number; child: ChildProcess };
  before(async () => { server = await startServer(); });
  after(() => { server?.child.kill(); });

  it('every one of 40 uploads of 2 MB, 8 at a time, reads the 413', async () => {
    const answers: string[] = [];
    for (let round = 0; round < 5; round++) answers.push(...await Promise.all(Array.from({ length: 8 }, () => uploadForm(server.port, 2 * 1024 * 1024))));
    assert.deepEqual(answers.filter((a) => a !== '413 too large'), []);
  });

  it('leaves keep-alive answers alone: a second request on the same connection is served', async () => {
    const both = await rawUpload(server.port, 'POST /keep HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\nhiPOST /keep HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n', 0);
    assert.equal(both.answer.match(/HTTP\/1\.1 200 OK/g)?.length, 2);
  });
});

describe('lingering close limits', () => {
  it('closes when the client falls silent (idleMs), though it declared 50 MB', async () => {
    const server = await startServer({ idleMs: 150 });
    try {
      const silent = await rawUpload(server.port, 'POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 52428800\r\n\r\n', 0);
      assert.match(silent.answer, /^HTTP\/1\.1 413 /);
    } finally { server.child.kill(); }
  });

  it('closes after maxBytes discarded, though the client keeps sending', async () => {
    const server = await startServer({ maxBytes: 1024 * 1024 });
    try {
      const flood = await rawUpload(server.port, 'POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1073741824\r\n\r\n', 1024 * 1024 * 1024);
      assert.match(flood.answer, /^HTTP\/1\.1 413 /);
      assert.ok(flood.sentBytes < 64 * 1024 * 1024, `the server let ${flood.sentBytes} bytes in`);
    } finally { server.child.kill(); }
  });
});
