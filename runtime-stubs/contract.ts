// The contract between seabuild's runtime (inside every executable) and the app it runs.
// Types only: this file adds no bytes to the executable.
import type { RequestListener, Server } from 'node:http';

/** A SQL client as the migration runner needs it; `pg.Client` and PGlite both fit. */
export interface SqlClient {
  query(text: string, params?: unknown[]): Promise<{ rows: any[] }>;
  /** PGlite: exec runs several statements without parameters; pg's query does the same. */
  exec?(text: string): Promise<unknown>;
  end?(): Promise<void>;
  close?(): Promise<void>;
}

/** Embedded files of the build, read through `sea.getAsset` in an executable or from disk in development. */
export interface AssetStore {
  /** Logical name (e.g. `css/app.css`) → digested URL path (e.g. `/assets/css/app.3f2a1b9c.css`). */
  url(logicalName: string): string;
  /** Handles a request for an asset; returns false when the path is not an asset. */
  handle(req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse): boolean;
  list(): Array<{ logicalName: string; url: string; sizeBytes: number; sha256: string }>;
}

/** What `serve` hands the app. */
export interface ServeContext {
  port: number;
  host: string;
  assets: AssetStore;
  /** Aborted on SIGTERM/SIGINT: stop background work. */
  signal: AbortSignal;
  env: NodeJS.ProcessEnv;
  version: VersionInfo;
}

export interface VersionInfo {
  name: string;
  version: string;
  commit?: string;
  node: string;
  builtAt?: string;
}

/** An app-defined subcommand: `./app NAME args…`. */
export interface AppCommand {
  description: string;
  run(args: string[], ctx: CommandContext): Promise<number | void> | number | void;
}

export interface CommandContext {
  env: NodeJS.ProcessEnv;
  assets: AssetStore;
  version: VersionInfo;
}

/** An environment variable the app reads; `./app help` lists them. */
export interface EnvVarSpec {
  description: string;
  default?: string;
}

/** What the app's entry module exports. Only `serve` is required. */
export interface AppModule {
  /** Returns a request listener (an Express/Koa-style app works) or an `http.Server`; the runtime listens. */
  serve(ctx: ServeContext): Promise<Server | RequestListener> | Server | RequestListener;
  commands?: Record<string, AppCommand>;
  env?: Record<string, EnvVarSpec>;
  /** Opens the database `migrate` uses when DATABASE_URL is not set (e.g. embedded PGlite). */
  database?(ctx: CommandContext): Promise<SqlClient>;
  /** Exercised by the build's smoke run inside the finished rootfs; throw to fail the build. */
  selftest?(ctx: CommandContext): Promise<void> | void;
}
