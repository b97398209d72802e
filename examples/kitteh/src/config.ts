// Kitteh's configuration: environment variables only (no files, no build-time settings), read and
// checked once when a command starts. `./kitteh help` lists `envSpec` with the defaults.
import { isAbsolute, join, resolve } from 'node:path';
import type { EnvVarSpec } from 'seabuild/runtime';

/** The resolved configuration every module receives as an argument. */
export interface Config {
  /** PostgreSQL URL; unset means the embedded PGlite database under `dataDir`. */
  databaseUrl: string | undefined;
  /** Absolute; holds the embedded database (`pgdata/`) and, by default, the uploads. */
  dataDir: string;
  /** Absolute; the stored renditions (`images/`) and in-progress uploads (`.staging/`). */
  uploadDir: string;
  maxUploadBytes: number;
  /** Decompression-bomb guard: images with more pixels (width × height) are refused before decoding. */
  maxInputPixels: number;
  /** PostgreSQL pool size (ignored by PGlite, which is one connection). */
  databasePoolSize: number;
}

const DEFAULT_MAX_UPLOAD_BYTES = 10 * 1024 * 1024;
// 50 MP holds a 48 MP phone photo (8000 × 6000). It bounds memory: the three sizes come from one
// decode to at most 600 px wide, but a 1-bit PNG can claim 65536 × 65536 in 522 KB (fixture).
const DEFAULT_MAX_INPUT_PIXELS = 50_000_000;

/** The variables Kitteh reads (PORT, HOST and SHUTDOWN_GRACE_MS belong to the runtime). */
export const envSpec: Record<string, EnvVarSpec> = {
  DATABASE_URL: { description: 'PostgreSQL URL (postgres://user:pass@host:5432/db); unset: embedded PGlite under DATA_DIR/pgdata' },
  DATA_DIR: { description: 'folder for the embedded database and, by default, the uploads', default: 'data' },
  UPLOAD_DIR: { description: 'folder for stored pictures', default: '$DATA_DIR/uploads' },
  MAX_UPLOAD_BYTES: { description: 'largest accepted upload, in bytes; larger ones get 413', default: String(DEFAULT_MAX_UPLOAD_BYTES) },
  MAX_INPUT_PIXELS: { description: 'largest accepted image, in pixels (width × height); more gets 422', default: String(DEFAULT_MAX_INPUT_PIXELS) },
  DATABASE_POOL_SIZE: { description: 'PostgreSQL connections in the pool', default: '10' },
};

/** A configuration value that cannot be used; the message names the variable. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Reads and checks the configuration from `env` (relative folders resolve against `cwd`). */
export function readConfig(env: NodeJS.ProcessEnv, cwd: string = process.cwd()): Readonly<Config> {
  const dataDir = resolveDir(env.DATA_DIR || 'data', cwd);
  return Object.freeze({
    databaseUrl: env.DATABASE_URL || undefined,
    dataDir,
    uploadDir: env.UPLOAD_DIR ? resolveDir(env.UPLOAD_DIR, cwd) : join(dataDir, 'uploads'),
    maxUploadBytes: readPositiveInteger(env, 'MAX_UPLOAD_BYTES', DEFAULT_MAX_UPLOAD_BYTES),
    maxInputPixels: readPositiveInteger(env, 'MAX_INPUT_PIXELS', DEFAULT_MAX_INPUT_PIXELS),
    databasePoolSize: readPositiveInteger(env, 'DATABASE_POOL_SIZE', 10),
  });
}

function resolveDir(value: string, cwd: string): string {
  return isAbsolute(value) ? value : resolve(cwd, value);
}

function readPositiveInteger(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const text = env[name];
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value <= 0 || !/^\d+$/.test(text.trim())) {
    throw new ConfigError(`${name} must be a positive whole number, got "${text}"`);
  }
  return value;
}
