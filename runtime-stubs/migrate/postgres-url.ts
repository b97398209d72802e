// DATABASE_URL → pg client settings, with libpq's meaning of sslmode (libpq-connect, "sslmode";
// libpq-ssl table 34.1), because that is what people who set `?sslmode=require` expect. pg 8's own
// parser treats prefer/require/verify-ca as verify-full and reads process.env; we parse ourselves.
//
// Supported, in the URL or (libpq's fallback) the environment:
//   host (also ?host=/socket/dir), port, user, password, dbname  PGHOST PGPORT PGUSER PGPASSWORD PGDATABASE
//   sslmode: disable | allow | prefer (the default) | require | verify-ca | verify-full   PGSSLMODE
//   sslrootcert: a PEM file, or `system` for Node's trust store                        PGSSLROOTCERT
//   sslcert, sslkey: client certificate and key files                                  PGSSLCERT PGSSLKEY
//   application_name                                                                   PGAPPNAME
//   connect_timeout: seconds per connection attempt                                    PGCONNECT_TIMEOUT
// Differences from libpq: without sslrootcert, verify-ca/verify-full use Node's trust store rather
// than ~/.postgresql/root.crt (a FROM-scratch image has no home directory, but has CA certificates);
// libpq's require also verifies when ~/.postgresql/root.crt exists, ours only when sslrootcert is set.
// Any other URL parameter is rejected by name, as libpq does.
import { readFileSync } from 'node:fs';
import type { ConnectionOptions } from 'node:tls';

/** libpq's sslmode values. */
export type SslMode = 'disable' | 'allow' | 'prefer' | 'require' | 'verify-ca' | 'verify-full';

/** Where and how to connect; never printed whole (it holds the password). */
export interface PostgresTarget {
  host: string;
  port: number;
  user: string | undefined;
  password: string | undefined;
  database: string | undefined;
  applicationName: string | undefined;
  sslMode: SslMode;
  /** The TLS options for modes that use TLS (absent for disable). */
  tls: ConnectionOptions | undefined;
  connectTimeoutSeconds: number | undefined;
}

/** A connection failure with one printable line and a stable code; never carries the password. */
export class DatabaseConnectError extends Error {
  readonly code: string;
  constructor(code: string, message: string, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = 'DatabaseConnectError';
    this.code = code;
  }
}

const sslModes: readonly SslMode[] = ['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full'];
const knownParameters = new Set([
  'host', 'port', 'user', 'password', 'dbname', 'sslmode', 'sslrootcert', 'sslcert', 'sslkey',
  'application_name', 'connect_timeout',
]);

/** Parses a `postgres://` or `postgresql://` URL, filling gaps from the PG* variables of `env`. */
export function parsePostgresUrl(url: string, env: NodeJS.ProcessEnv): PostgresTarget {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    // The URL is not echoed: it may hold the password.
    throw invalid('DATABASE_URL is not a valid URL (expected postgres://user:password@host:port/database)');
  }
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') {
    throw invalid(`DATABASE_URL has scheme "${parsed.protocol}"; expected postgres:// or postgresql://`);
  }
  const query = new Map<string, string>();
  for (const [key, value] of parsed.searchParams) {
    if (!knownParameters.has(key)) throw invalid(`DATABASE_URL parameter "${key}" is not supported (supported: ${[...knownParameters].join(', ')})`);
    query.set(key, value);
  }
  const pick = (name: string, fromUrl: string | undefined, envName: string) => query.get(name) || fromUrl || env[envName] || undefined;
  const host = pick('host', decode(parsed.hostname.replace(/^\[(.*)\]$/, '$1')), 'PGHOST') ?? 'localhost';
  const portText = pick('port', parsed.port, 'PGPORT') ?? '5432';
  const port = Number(portText);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw invalid(`DATABASE_URL port "${portText}" is not a port number`);
  const user = pick('user', decode(parsed.username), 'PGUSER') ?? env.USER;
  const sslMode = (query.get('sslmode') ?? env.PGSSLMODE ?? 'prefer') as SslMode;
  if (!sslModes.includes(sslMode)) throw invalid(`sslmode "${sslMode}" is not one of ${sslModes.join(', ')}`);
  const timeoutText = pick('connect_timeout', undefined, 'PGCONNECT_TIMEOUT');
  return {
    host,
    port,
    user,
    password: pick('password', decode(parsed.password), 'PGPASSWORD'),
    database: pick('dbname', decode(parsed.pathname.replace(/^\//, '')), 'PGDATABASE') ?? user,
    applicationName: pick('application_name', undefined, 'PGAPPNAME'),
    sslMode,
    tls: buildTlsOptions(sslMode, {
      rootCert: pick('sslrootcert', undefined, 'PGSSLROOTCERT'),
      cert: pick('sslcert', undefined, 'PGSSLCERT'),
      key: pick('sslkey', undefined, 'PGSSLKEY'),
    }),
    connectTimeoutSeconds: timeoutText === undefined ? undefined : parseSeconds(timeoutText, 'connect_timeout'),
  };
}

/** `host:port/database` for messages (a socket directory stands in for host:port). */
export function describeTarget(target: PostgresTarget): string {
  const where = target.host.startsWith('/') ? target.host : `${target.host.includes(':') ? `[${target.host}]` : target.host}:${target.port}`;
  return `${where}/${target.database ?? ''}`;
}

/** Parses a non-negative number of seconds (libpq's connect_timeout and DATABASE_CONNECT_TIMEOUT). */
export function parseSeconds(text: string, name: string): number {
  const seconds = Number(text);
  if (text.trim() === '' || !Number.isFinite(seconds) || seconds < 0) throw invalid(`${name} "${text}" is not a number of seconds`);
  return seconds;
}

function buildTlsOptions(mode: SslMode, files: { rootCert?: string | undefined; cert?: string | undefined; key?: string | undefined }): ConnectionOptions | undefined {
  if (mode === 'disable') return undefined;
  const options: ConnectionOptions = {};
  if (files.cert) options.cert = readPem(files.cert, 'sslcert');
  if (files.key) options.key = readPem(files.key, 'sslkey');
  const rootCert = files.rootCert && files.rootCert !== 'system' ? readPem(files.rootCert, 'sslrootcert') : undefined;
  if (rootCert) options.ca = rootCert;
  // allow/prefer never verify; require verifies the chain only with an explicit root certificate.
  const verifyChain = mode === 'verify-ca' || mode === 'verify-full' || (mode === 'require' && files.rootCert !== undefined);
  options.rejectUnauthorized = verifyChain;
  // verify-ca checks the chain but not the host name; verify-full checks both.
  if (verifyChain && mode !== 'verify-full') options.checkServerIdentity = () => undefined;
  return options;
}

function readPem(path: string, name: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (cause) {
    throw new DatabaseConnectError('DATABASE_TLS_FAILED', `cannot read ${name} file ${path} (${(cause as NodeJS.ErrnoException).code ?? 'EIO'})`, cause);
  }
}

function decode(text: string): string | undefined {
  if (!text) return undefined;
  try {
    return decodeURIComponent(text);
  } catch {
    throw invalid('DATABASE_URL has a malformed %-escape');
  }
}

function invalid(message: string): DatabaseConnectError {
  return new DatabaseConnectError('DATABASE_URL_INVALID', message);
}
