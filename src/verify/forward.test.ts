// The servers the smoke run forwards into its network namespace: exactly the host:port of each URL in
// the boot's environment, a non-loopback host rewritten to 127.0.0.1 inside; and the forward itself.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createConnection, createServer } from 'node:net';
import { forwardTargets, startForwarders } from './forward.ts';

test('URLs of the boot environment name the servers to forward; other values do not', () => {
  const { targets, env } = forwardTargets({
    DATABASE_URL: 'postgres://app:secret@db.internal/cats?sslmode=disable',
    REPLICA_URL: 'postgresql://app@127.0.0.1:6543/cats',
    SAME_DB: 'postgres://other@db.internal:5432/x',
    REDIS_URL: 'redis://[::1]:6380',
    PUBLIC_URL: 'https://example.com/app',
    LOG_LEVEL: 'debug',
  });
  assert.deepEqual(targets, [
    { variable: 'DATABASE_URL', host: 'db.internal', port: 5432 },
    { variable: 'REPLICA_URL', host: '127.0.0.1', port: 6543 },
    { variable: 'REDIS_URL', host: '::1', port: 6380 },
  ]);
  assert.equal(env.DATABASE_URL, 'postgres://app:secret@127.0.0.1/cats?sslmode=disable');
  assert.equal(env.REPLICA_URL, 'postgresql://app@127.0.0.1:6543/cats', 'a loopback URL is left as written');
  assert.equal(env.PUBLIC_URL, 'https://example.com/app');
});

test('a forward carries bytes both ways through its unix socket, and records a refused target', async () => {
  const echo = createServer((socket) => socket.pipe(socket));
  await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', resolve));
  const port = (echo.address() as { port: number }).port;
  const forwarders = await startForwarders([{ variable: 'A', host: '127.0.0.1', port }, { variable: 'B', host: '127.0.0.1', port: 9 }]);
  try {
    const answer = await new Promise<string>((resolve, reject) => {
      const client = createConnection(forwarders.inside[0]!.socket, () => client.end('ping'));
      let text = '';
      client.on('data', (chunk) => { text += chunk; });
      client.on('end', () => resolve(text));
      client.on('error', reject);
    });
    assert.equal(answer, 'ping');
    await new Promise<void>((resolve) => createConnection(forwarders.inside[1]!.socket).on('close', () => resolve()).on('error', () => {}));
    assert.match(forwarders.failures()[0] ?? '', /^127\.0\.0\.1:9: connect ECONNREFUSED/);
  } finally {
    await forwarders.stop();
    echo.close();
  }
});
