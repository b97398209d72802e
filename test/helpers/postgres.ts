// Real PostgreSQL 15 for tests (docs/TESTING.md): starts the machine's cluster when it is down,
// makes sure the `app` role exists, and hands each test a fresh database. Outside CI a machine
// without PostgreSQL skips with a reason; with CI=true that is a failure.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmod, chown, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';

const run = promisify(execFile);
const BIN = '/usr/lib/postgresql/15/bin';

/** The machine's cluster, reachable as app:app@127.0.0.1:5432. */
export const ADMIN_URL = 'postgres://app:app@127.0.0.1:5432/postgres';

/** One fresh database for one test. */
export interface TestDatabase {
  name: string;
  url: string;
  /** Runs one query on a short-lived connection. */
  query(sql: string, params?: unknown[]): Promise<any[]>;
  drop(): Promise<void>;
}

/** Either a usable server or why not (only possible outside CI). */
export type PostgresAvailability = { ok: true } | { ok: false; reason: string };

/** Starts the cluster if needed and ensures the `app` role; call once per test file. */
export async function ensurePostgres(): Promise<PostgresAvailability> {
  try {
    await run('pg_lsclusters', []);
  } catch {
    return unavailable('PostgreSQL 15 is not installed (apt-get install -y postgresql)');
  }
  const { stdout } = await run('pg_lsclusters', ['--no-header']);
  if (!/^15\s+main\s+5432\s+online/m.test(stdout)) await run('pg_ctlcluster', ['15', 'main', 'start']);
  if (await canConnect(ADMIN_URL)) return { ok: true };
  // The role may already exist with another password: ALTER makes it match docs/TESTING.md.
  const sql = "DO $$ BEGIN CREATE ROLE app LOGIN SUPERUSER; EXCEPTION WHEN duplicate_object THEN NULL; END $$; ALTER ROLE app LOGIN SUPERUSER PASSWORD 'app'";
  await run('su', ['postgres', '-c', `psql -q -c "${sql.replace(/\$/g, '\\$')}"`]);
  if (await canConnect(ADMIN_URL)) return { ok: true };
  return unavailable('cannot connect to PostgreSQL as app@127.0.0.1:5432 after creating the role');
}

/** Creates an empty database with a unique name. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `seabuild_test_${randomBytes(6).toString('hex')}`;
  await queryOnce(ADMIN_URL, `CREATE DATABASE ${name}`);
  const url = `postgres://app:app@127.0.0.1:5432/${name}?sslmode=disable`;
  return {
    name,
    url,
    query: (sql, params) => queryOnce(url, sql, params),
    drop: async () => { await queryOnce(ADMIN_URL, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`); },
  };
}

/** Runs one query on its own connection and returns the rows. */
export async function queryOnce(url: string, sql: string, params?: unknown[]): Promise<any[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows;
  } finally {
    await client.end();
  }
}

/** A throw-away cluster of its own (for TLS settings the shared one must not get), run as `postgres`. */
export interface TemporaryCluster {
  port: number;
  dir: string;
  /** Starts the server; resolves once pg_ctl returns (the server may still be starting). */
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** Initialises a cluster in a temp dir (trust auth, user postgres); `config` lines go into postgresql.conf. */
export async function createTemporaryCluster(config: string[] = [], files: Record<string, string> = {}): Promise<TemporaryCluster> {
  const dir = await mkdtemp(join(tmpdir(), 'seabuild-pg-'));
  const { uid, gid } = await postgresIds();
  await chown(dir, uid, gid);
  const data = join(dir, 'data');
  await run('su', ['postgres', '-c', `${BIN}/initdb -D ${data} -U postgres --auth=trust -E UTF8 --no-sync >/dev/null`]);
  for (const [name, content] of Object.entries(files)) {
    const path = join(data, name);
    await writeFile(path, content);
    await chown(path, uid, gid);
    await chmod(path, 0o600);
  }
  const port = await findFreePort();
  const settings = [`port = ${port}`, "listen_addresses = '127.0.0.1'", `unix_socket_directories = '${dir}'`, 'fsync = off', ...config];
  await writeFile(join(data, 'postgresql.conf'), `${settings.join('\n')}\n`, { flag: 'a' });
  const pgCtl = (args: string) => run('su', ['postgres', '-c', `${BIN}/pg_ctl -D ${data} -l ${dir}/log ${args}`]);
  return {
    port,
    dir,
    start: async () => { await pgCtl('start --no-wait'); },
    stop: async () => {
      await pgCtl('stop -m immediate').catch(() => {});
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** A TCP port nobody listens on right now. */
export async function findFreePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function postgresIds(): Promise<{ uid: number; gid: number }> {
  const [uid, gid] = await Promise.all([run('id', ['-u', 'postgres']), run('id', ['-g', 'postgres'])]);
  return { uid: Number(uid.stdout), gid: Number(gid.stdout) };
}

async function canConnect(url: string): Promise<boolean> {
  for (let attempt = 0; attempt < 20; attempt++) {
    try {
      await queryOnce(url, 'SELECT 1');
      return true;
    } catch (error) {
      // 57P03 or a refused connection: the cluster was just started.
      const code = (error as { code?: string }).code;
      if (code !== '57P03' && code !== 'ECONNREFUSED') return false;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  return false;
}

function unavailable(reason: string): PostgresAvailability {
  if (process.env.CI === 'true') throw new Error(`${reason}; CI=true requires it`);
  return { ok: false, reason };
}
