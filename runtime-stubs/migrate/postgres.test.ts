// connectPostgres against real servers: the machine's cluster (TLS off) and a throw-away cluster
// with TLS on and a test CA, started while the client is already retrying.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { createTemporaryCluster, ensurePostgres, findFreePort, type TemporaryCluster } from '../../test/helpers/postgres.ts';
import type { SqlClient } from '../contract.ts';
import { connectPostgres, DatabaseConnectError } from './postgres.ts';

const run = promisify(execFile);
const postgres = await ensurePostgres();

async function usesTls(client: SqlClient): Promise<boolean> {
  try {
    return (await client.query('SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()')).rows[0].ssl;
  } finally {
    await client.end!();
  }
}

/** Expects connectPostgres to fail with `code` and a one-line message within `maxMs`. */
async function expectFailure(url: string, env: NodeJS.ProcessEnv, code: string, message: RegExp, maxMs = 3000): Promise<void> {
  const started = Date.now();
  await assert.rejects(connectPostgres(pg, url, env), (error: unknown) => {
    assert.ok(error instanceof DatabaseConnectError, String(error));
    assert.equal(error.code, code, error.message);
    assert.match(error.message, message);
    if (process.env.SHOW_MESSAGES) console.log(error.message);
    assert.doesNotMatch(error.message, /secret|\n/, 'one line, never the password');
    return true;
  });
  assert.ok(Date.now() - started < maxMs, `failed within ${maxMs} ms`);
}

describe('connectPostgres on the machine cluster (TLS off)', { skip: postgres.ok ? false : postgres.reason }, () => {
  it('connects with the default sslmode (prefer) by falling back to plain', async () => {
    assert.equal(await usesTls(await connectPostgres(pg, 'postgres://app:app@127.0.0.1:5432/postgres', {})), false);
  });

  it('takes missing parts from PG* variables of the env argument', async () => {
    const env = { PGPASSWORD: 'app', PGDATABASE: 'postgres', PGSSLMODE: 'disable' };
    assert.equal(await usesTls(await connectPostgres(pg, 'postgresql://app@127.0.0.1', env)), false);
  });

  it('fails at once with one line on a wrong password, a missing database, an unknown host', async () => {
    await expectFailure('postgres://app:secret@127.0.0.1:5432/postgres', {}, 'DATABASE_AUTH_FAILED', /^cannot connect to PostgreSQL at 127\.0\.0\.1:5432\/postgres: password authentication failed for user "app" \(SQLSTATE 28P01\)$/);
    await expectFailure('postgres://app:app@127.0.0.1:5432/no_such_db', {}, 'DATABASE_NOT_FOUND', /127\.0\.0\.1:5432\/no_such_db: database "no_such_db" does not exist/);
    await expectFailure('postgres://app:secret@db.invalid:5432/app', {}, 'DATABASE_HOST_NOT_FOUND', /^cannot connect to PostgreSQL at db\.invalid:5432\/app: host name not found$/);
  });

  it('sslmode=require fails on a server without TLS', async () => {
    await expectFailure('postgres://app:secret@127.0.0.1:5432/postgres?sslmode=require', {}, 'DATABASE_TLS_FAILED', /does not support SSL connections \[sslmode=require; the server has TLS off/);
  });

  it('gives up on a refused connection after DATABASE_CONNECT_TIMEOUT seconds', async () => {
    const port = await findFreePort();
    const started = Date.now();
    await expectFailure(`postgres://app:secret@127.0.0.1:${port}/app`, { DATABASE_CONNECT_TIMEOUT: '1' }, 'DATABASE_UNREACHABLE', /connection refused \(gave up after 1 s; set DATABASE_CONNECT_TIMEOUT/);
    assert.ok(Date.now() - started >= 950, 'it retried for the whole budget');
  });

  it('rejects a malformed URL, an unknown parameter and a bad timeout by name, without echoing the URL', async () => {
    await expectFailure('postgres://app:secret@[oops/app', {}, 'DATABASE_URL_INVALID', /^DATABASE_URL is not a valid URL/);
    await expectFailure('mysql://app:secret@127.0.0.1/app', {}, 'DATABASE_URL_INVALID', /scheme "mysql:"/);
    await expectFailure('postgres://app:secret@127.0.0.1/app?ssl=true', {}, 'DATABASE_URL_INVALID', /parameter "ssl" is not supported/);
    await expectFailure('postgres://app:secret@127.0.0.1/app?sslmode=strict', {}, 'DATABASE_URL_INVALID', /sslmode "strict"/);
    await expectFailure('postgres://app:secret@127.0.0.1/app', { DATABASE_CONNECT_TIMEOUT: 'soon' }, 'DATABASE_URL_INVALID', /DATABASE_CONNECT_TIMEOUT "soon"/);
  });
});

describe('connectPostgres with TLS on a cluster that is still starting', { skip: postgres.ok ? false : postgres.reason }, () => {
  let cluster: TemporaryCluster;
  let certs: string;
  const url = (host: string, query: string) => `postgres://postgres@${host}:${cluster.port}/postgres?${query}`;

  before(async () => {
    certs = await mkdtemp(join(tmpdir(), 'seabuild-certs-'));
    await makeCertificates(certs);
    cluster = await createTemporaryCluster(["ssl = on", "ssl_cert_file = 'server.crt'", "ssl_key_file = 'server.key'"], {
      'server.crt': await readFile(join(certs, 'server.crt'), 'utf8'),
      'server.key': await readFile(join(certs, 'server.key'), 'utf8'),
    });
  });
  after(async () => {
    await cluster?.stop();
    await rm(certs, { recursive: true, force: true });
  });

  it('waits for a server that starts after the first attempt, then connects', async () => {
    const waits: string[] = [];
    const connecting = connectPostgres(pg, url('127.0.0.1', 'sslmode=require'), { DATABASE_CONNECT_TIMEOUT: '30' }, { onWait: (m) => waits.push(m) });
    await new Promise((resolve) => setTimeout(resolve, 800));
    await cluster.start();
    assert.equal(await usesTls(await connecting), true);
    assert.equal(waits.length, 1);
    assert.match(waits[0]!, new RegExp(`^waiting for PostgreSQL at 127\\.0\\.0\\.1:${cluster.port}/postgres \\(`));
  });

  it('prefer (the default) and require use TLS without verifying; disable does not', async () => {
    assert.equal(await usesTls(await connectPostgres(pg, url('127.0.0.1', ''), {})), true);
    assert.equal(await usesTls(await connectPostgres(pg, url('127.0.0.1', 'sslmode=require'), {})), true);
    assert.equal(await usesTls(await connectPostgres(pg, url('127.0.0.1', 'sslmode=disable'), {})), false);
    assert.equal(await usesTls(await connectPostgres(pg, url('127.0.0.1', ''), { PGSSLMODE: 'disable' })), false);
  });

  it('verify-ca checks the chain; verify-full also checks the host name', async () => {
    const ca = `sslrootcert=${join(certs, 'ca.crt')}`;
    assert.equal(await usesTls(await connectPostgres(pg, url('127.0.0.1', `sslmode=verify-ca&${ca}`), {})), true);
    assert.equal(await usesTls(await connectPostgres(pg, url('localhost', `sslmode=verify-full&${ca}`), {})), true);
    assert.equal(await usesTls(await connectPostgres(pg, url('localhost', 'sslmode=verify-full'), { PGSSLROOTCERT: join(certs, 'ca.crt') })), true);
    await expectFailure(url('127.0.0.1', `sslmode=verify-full&${ca}`), {}, 'DATABASE_TLS_FAILED', /altnames[^]*\[sslmode=verify-full; connect by a name the certificate lists/);
    await expectFailure(url('localhost', 'sslmode=verify-full'), {}, 'DATABASE_TLS_FAILED', /unable to verify the first certificate \[sslmode=verify-full; set sslrootcert/);
    await expectFailure(url('localhost', 'sslmode=verify-ca&sslrootcert=/no/such/ca.crt'), {}, 'DATABASE_TLS_FAILED', /cannot read sslrootcert file \/no\/such\/ca\.crt \(ENOENT\)/);
  });
});

// A test CA and a server certificate for localhost only (no IP address), so that verify-full
// to 127.0.0.1 must fail while verify-ca passes.
async function makeCertificates(dir: string): Promise<void> {
  const openssl = (...args: string[]) => run('openssl', args, { cwd: dir });
  await openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '2', '-subj', '/CN=seabuild test CA');
  await openssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=localhost');
  await writeFile(join(dir, 'san.ext'), 'subjectAltName=DNS:localhost\n');
  await openssl('x509', '-req', '-in', 'server.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.crt', '-days', '2', '-extfile', 'san.ext');
}
