// Connects `migrate` (and the app) to PostgreSQL through `pg`, which the caller passes in so that
// the bundler alone decides whether pg is inside the executable.
//
// Retry policy: only "the server is still starting" is retried, within DATABASE_CONNECT_TIMEOUT
// seconds (default 30; 0 = one attempt): connection refused or reset, a unix socket not there yet,
// a temporary DNS failure (EAI_AGAIN), SQLSTATE 57P03 cannot_connect_now ("the database system is
// starting up") and 53300 too_many_connections. A name that does not resolve (ENOTFOUND), a wrong
// password (28P01), a missing pg_hba entry (28000), a missing database (3D000), a TLS failure and a
// timed-out attempt fail at once: waiting does not fix them. Every failure is one line naming
// host:port/database, never the password.
import type { SqlClient } from '../contract.ts';
import { DatabaseConnectError, describeTarget, parsePostgresUrl, parseSeconds, type PostgresTarget } from './postgres-url.ts';

export { DatabaseConnectError } from './postgres-url.ts';

/** The part of the `pg` module used here; both `import pg from 'pg'` and `import * as pg` fit. */
export interface PgModule {
  Client: typeof import('pg').Client;
}

/** Options beyond the URL and environment. */
export interface ConnectPostgresOptions {
  /** Called once, when the first retryable failure starts the wait. */
  onWait?(message: string): void;
}

const DEFAULT_BUDGET_SECONDS = 30;
const DEFAULT_ATTEMPT_SECONDS = 10;
const retryableCodes = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOENT', 'EAI_AGAIN', '57P03', '53300']);

/** Opens a pg client for `url` (libpq URL and sslmode semantics, see postgres-url.ts), retrying while the server starts. */
export async function connectPostgres(
  pgModule: PgModule,
  url: string,
  env: NodeJS.ProcessEnv,
  options: ConnectPostgresOptions = {},
): Promise<SqlClient> {
  const target = parsePostgresUrl(url, env);
  const budgetText = env.DATABASE_CONNECT_TIMEOUT;
  const budgetMs = 1000 * (budgetText === undefined || budgetText === '' ? DEFAULT_BUDGET_SECONDS : parseSeconds(budgetText, 'DATABASE_CONNECT_TIMEOUT'));
  const deadline = Date.now() + budgetMs;
  let delayMs = 250;
  let waited = false;
  for (;;) {
    // Each attempt may take connect_timeout (default 10 s), cut to what is left of the budget.
    const perAttemptMs = 1000 * (target.connectTimeoutSeconds || DEFAULT_ATTEMPT_SECONDS);
    const remainingMs = deadline - Date.now();
    const attemptMs = remainingMs > 0 ? Math.max(1000, Math.min(perAttemptMs, remainingMs)) : perAttemptMs;
    try {
      return await connectWithSslMode(pgModule, target, attemptMs);
    } catch (error) {
      const code = errorCode(error);
      const retryable = retryableCodes.has(code) || /terminated unexpectedly/.test(messageOf(error));
      const leftMs = deadline - Date.now();
      if (!retryable || leftMs <= 0) throw toConnectError(target, error, retryable ? budgetMs : 0);
      if (!waited) options.onWait?.(`waiting for PostgreSQL at ${describeTarget(target)} (${reasonOf(error)}), up to ${budgetMs / 1000} s`);
      waited = true;
      await new Promise((resolve) => setTimeout(resolve, Math.min(delayMs, leftMs)));
      delayMs = Math.min(delayMs * 2, 2000);
    }
  }
}

// prefer: TLS first, plain when the server answers the SSLRequest with 'N' (pg's message below).
// allow: plain first, TLS when the server rejects a plain connection (28000, no pg_hba entry).
async function connectWithSslMode(pgModule: PgModule, target: PostgresTarget, attemptMs: number): Promise<SqlClient> {
  if (target.sslMode === 'prefer') {
    try {
      return await connectOnce(pgModule, target, true, attemptMs);
    } catch (error) {
      if (!/does not support SSL/.test(messageOf(error))) throw error;
      return connectOnce(pgModule, target, false, attemptMs);
    }
  }
  if (target.sslMode === 'allow') {
    try {
      return await connectOnce(pgModule, target, false, attemptMs);
    } catch (error) {
      if (errorCode(error) !== '28000') throw error;
      return connectOnce(pgModule, target, true, attemptMs);
    }
  }
  return connectOnce(pgModule, target, target.sslMode !== 'disable', attemptMs);
}

async function connectOnce(pgModule: PgModule, target: PostgresTarget, useTls: boolean, attemptMs: number): Promise<SqlClient> {
  // Every field is set explicitly: pg would otherwise fill gaps from process.env, not from `env`.
  const client = new pgModule.Client({
    host: target.host,
    port: target.port,
    ...(target.user === undefined ? {} : { user: target.user }),
    ...(target.password === undefined ? {} : { password: target.password }),
    ...(target.database === undefined ? {} : { database: target.database }),
    ...(target.applicationName === undefined ? {} : { application_name: target.applicationName }),
    ssl: useTls ? { ...target.tls } : false,
    connectionTimeoutMillis: attemptMs,
  });
  // An idle client whose server goes away emits 'error'; unhandled, that would crash with a stack.
  // The query in flight rejects with the same error, which is what gets reported.
  client.on('error', () => {});
  try {
    await client.connect();
  } catch (error) {
    await client.end().catch(() => {});
    throw error;
  }
  return client as unknown as SqlClient;
}

function toConnectError(target: PostgresTarget, error: unknown, waitedMs: number): DatabaseConnectError {
  if (error instanceof DatabaseConnectError) return error;
  const code = errorCode(error);
  const where = `cannot connect to PostgreSQL at ${describeTarget(target)}`;
  const after = waitedMs ? ` (gave up after ${waitedMs / 1000} s; set DATABASE_CONNECT_TIMEOUT to wait longer)` : '';
  const kind = code === '28P01' || code === '28000' ? 'DATABASE_AUTH_FAILED'
    : code === '3D000' ? 'DATABASE_NOT_FOUND'
      : code === 'ENOTFOUND' ? 'DATABASE_HOST_NOT_FOUND'
        : /timeout/i.test(messageOf(error)) ? 'DATABASE_TIMEOUT'
          : isTlsError(error) ? 'DATABASE_TLS_FAILED'
            : retryableCodes.has(code) ? 'DATABASE_UNREACHABLE' : 'DATABASE_CONNECT_FAILED';
  const hint = kind === 'DATABASE_TLS_FAILED' ? ` [sslmode=${target.sslMode}; ${tlsFix(target, error)}]` : '';
  return new DatabaseConnectError(kind, `${where}: ${reasonOf(error)}${hint}${after}`, error);
}

function tlsFix(target: PostgresTarget, error: unknown): string {
  if (/does not support SSL/.test(messageOf(error))) return 'the server has TLS off: use sslmode=prefer or disable, or turn ssl on';
  if (/altnames|Hostname/i.test(messageOf(error))) return 'connect by a name the certificate lists, or use sslmode=verify-ca';
  return target.tls?.ca ? 'the certificate is not signed by sslrootcert' : "set sslrootcert (or PGSSLROOTCERT) to the server's CA file";
}

function isTlsError(error: unknown): boolean {
  return /CERT|TLS|SSL|SIGNATURE/i.test(errorCode(error)) || /SSL|TLS|certificate/i.test(messageOf(error));
}

function reasonOf(error: unknown): string {
  const code = errorCode(error);
  if (code === 'ENOTFOUND') return 'host name not found';
  if (code === 'ECONNREFUSED') return 'connection refused';
  // Node suggests --use-system-ca; an executable's user cannot pass node flags, tlsFix says what to do.
  const message = messageOf(error).split('\n')[0]!.replace(/; if the root CA is installed locally.*$/, '').replace(/\s+$/, '');
  return /^[0-9A-Z]{5}$/.test(code) ? `${message} (SQLSTATE ${code})` : message;
}

function errorCode(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : '';
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
