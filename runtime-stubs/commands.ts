// The built-in subcommands other than serve and migrate: version, help, assets, healthcheck.
import { request } from 'node:http';
import type { AppModule, EnvVarSpec, VersionInfo } from './contract.ts';
import type { BuildInfo } from './build-info.ts';

/** The runtime's own environment variables; `help` lists them with the app's. */
export function runtimeEnv(info: BuildInfo, hasMigrations: boolean): Record<string, EnvVarSpec> {
  return {
    PORT: { description: 'TCP port serve listens on (and healthcheck probes)', default: String(info.defaultPort) },
    HOST: { description: 'address serve binds', default: '0.0.0.0' },
    SHUTDOWN_GRACE_MS: { description: 'how long SIGTERM waits for in-flight requests', default: '10000' },
    HEALTHCHECK_TIMEOUT_MS: { description: 'how long healthcheck waits for GET /healthz', default: '3000' },
    ...(hasMigrations ? { DATABASE_URL: { description: 'PostgreSQL URL for migrate (embedded database when unset, if the app has one)' } } : {}),
  };
}

/** `version [--json]`. */
export function printVersion(version: VersionInfo, args: string[], out: (s: string) => void): number {
  if (args.includes('--json')) {
    out(JSON.stringify(version));
    return 0;
  }
  out(`${version.name} ${version.version}`);
  if (version.commit) out(`commit  ${version.commit}`);
  out(`node    ${version.node}`);
  out(`built   ${version.builtAt ?? 'from source (development)'}`);
  return 0;
}

/** `help`: commands, then environment variables with their defaults. */
export function printHelp(app: AppModule, info: BuildInfo, hasMigrations: boolean, out: (s: string) => void): number {
  const builtins: Record<string, string> = {
    serve: `start the HTTP server (the default command)${hasMigrations ? '; serve --migrate applies migrations first' : ''}`,
    ...(hasMigrations ? { migrate: 'apply embedded SQL migrations (migrate status | --dry-run | --to VERSION)' } : {}),
    version: 'print name, version, commit, Node version and build time (--json)',
    healthcheck: 'exit 0 when GET /healthz on PORT answers 200 (for a Docker HEALTHCHECK)',
    assets: 'list embedded assets with sizes and digests (--json)',
    selftest: 'run the app\'s self-test (the build runs it inside the image)',
    help: 'this text',
  };
  const commands = { ...builtins, ...Object.fromEntries(Object.entries(app.commands ?? {}).map(([name, c]) => [name, c.description])) };
  out(`Usage: ${info.name} [command] [args]\n\nCommands:`);
  out(table(Object.entries(commands).map(([name, description]) => [name, description])));
  out('\nEnvironment:');
  const env = { ...runtimeEnv(info, hasMigrations), ...(app.env ?? {}) };
  out(table(Object.entries(env).map(([name, spec]) => [name, spec.description + (spec.default === undefined ? '' : ` (default: ${spec.default})`)])));
  return 0;
}

/** `assets [--json]`. */
export function printAssets(info: BuildInfo, args: string[], out: (s: string) => void): number {
  if (args.includes('--json')) {
    out(JSON.stringify(info.assets.map(({ logicalName, url, sizeBytes, sha256, variants }) => ({ logicalName, url, sizeBytes, sha256, variants: Object.fromEntries(Object.entries(variants).map(([k, v]) => [k, v.sizeBytes])) }))));
    return 0;
  }
  const rows = info.assets.map((a) => [a.logicalName, a.url, String(a.sizeBytes), `sha256:${a.sha256.slice(0, 16)}`, Object.keys(a.variants).join(',') || '-']);
  out(table([['NAME', 'URL', 'BYTES', 'DIGEST', 'PRECOMPRESSED'], ...rows]));
  out(`${info.assets.length} assets, ${info.assets.reduce((n, a) => n + a.sizeBytes, 0)} bytes`);
  return 0;
}

/** `healthcheck`: GET /healthz on 127.0.0.1:PORT; 0 on 200, 1 otherwise (no curl in a scratch image). */
export function runHealthcheck(port: number, timeoutMs: number, err: (s: string) => void): Promise<number> {
  return new Promise((resolveCode) => {
    const req = request({ host: '127.0.0.1', port, path: '/healthz', method: 'GET', timeout: timeoutMs }, (res) => {
      res.resume();
      if (res.statusCode !== 200) err(`healthcheck: GET /healthz answered ${res.statusCode}`);
      resolveCode(res.statusCode === 200 ? 0 : 1);
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', (error) => { err(`healthcheck: 127.0.0.1:${port}: ${error.message}`); resolveCode(1); });
    req.end();
  });
}

function table(rows: string[][]): string {
  const widths = rows.reduce<number[]>((w, row) => row.map((cell, i) => Math.max(w[i] ?? 0, cell.length)), []);
  return rows.map((row) => '  ' + row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0))).join('  ')).join('\n');
}
