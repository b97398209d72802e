// The built-in subcommands other than serve and migrate: version, help, assets, healthcheck.
// node:http is loaded by healthcheck alone: every command imports this file, and http costs ~5 ms.
import type { AppModule, EnvVarSpec, VersionInfo } from './contract.ts';
import type { BuildInfo } from './build-info.ts';

/** The runtime's own environment variables; `help` lists them with the app's. */
export function runtimeEnv(info: BuildInfo, hasMigrations: boolean): Record<string, EnvVarSpec> {
  return {
    PORT: { description: info.runApp ? 'TCP port serve listens on (and healthcheck probes)' : 'TCP port healthcheck probes (the app reads it itself)', default: String(info.defaultPort) },
    ...(info.runApp ? { HOST: { description: 'address serve binds', default: '0.0.0.0' } } : {}),
    SHUTDOWN_GRACE_MS: { description: 'how long SIGTERM waits for in-flight requests', default: '10000' },
    SHUTDOWN_DELAY_MS: { description: `how long SIGTERM keeps serving${info.runApp ? ' (/healthz answering 503)' : ''} before it stops accepting`, default: '0' },
    HEALTHCHECK_PATH: { description: 'path healthcheck requests', default: healthcheckPathOf(info) },
    HEALTHCHECK_TIMEOUT_MS: { description: 'how long healthcheck waits for an answer', default: '3000' },
    ...(hasMigrations ? { DATABASE_URL: { description: 'PostgreSQL URL for migrate (embedded database when unset, if the app has one)' } } : {}),
  };
}

/** What `version` prints, from the build info. */
export function versionOf(info: BuildInfo): VersionInfo {
  return { name: info.name, version: info.version, node: process.version, ...(info.commit ? { commit: info.commit } : {}), ...(info.builtAt ? { builtAt: info.builtAt } : {}) };
}

/** runApp apps answer /healthz themselves (the runtime does); a plain app is probed at `/` unless configured. */
function healthcheckPathOf(info: BuildInfo): string {
  return info.healthcheckPath ?? (info.runApp ? '/healthz' : '/');
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
export function printHelp(info: BuildInfo, hasMigrations: boolean, out: (s: string) => void, app?: AppModule): number {
  const builtins: Record<string, string> = {
    serve: app
      ? `start the HTTP server (the default command)${hasMigrations ? '; serve --migrate applies migrations first' : ''}`
      : 'run the app (the default): serve ARGS runs it with ARGS, and so does any first argument not listed here',
    ...(hasMigrations ? { migrate: 'apply embedded SQL migrations (migrate status | --dry-run | --to VERSION)' } : {}),
    version: 'print name, version, commit, Node version and build time (--json)',
    healthcheck: app
      ? 'exit 0 when GET /healthz on PORT answers 200 (for a Docker HEALTHCHECK)'
      : `exit 0 when GET ${healthcheckPathOf(info)} on 127.0.0.1:PORT answers below 500 (for a Docker HEALTHCHECK)`,
    assets: 'list embedded assets with sizes and digests (--json)',
    ...(app ? { selftest: 'run the app\'s self-test (the build runs it inside the image)' } : {}),
    help: 'this text',
  };
  // The app's scripts (package.json) come first at run time: a migrate script replaces the SQL migrator.
  const scripts = Object.fromEntries(Object.entries(info.commands ?? {}).map(([name, c]) => [name, `the app's script: ${c.script} (ARGS follow)`]));
  const commands = { ...builtins, ...Object.fromEntries(Object.entries(app?.commands ?? {}).map(([name, c]) => [name, c.description])), ...scripts };
  out(`Usage: ${info.name} ${app ? '[command] [args]' : '[serve] [app arguments] | COMMAND'}\n\nCommands:`);
  out(table(Object.entries(commands).map(([name, description]) => [name, description])));
  out('\nEnvironment:');
  const env = { ...runtimeEnv(info, hasMigrations), ...(app?.env ?? {}) };
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

/**
 * `healthcheck` (no curl in a scratch image): GET HEALTHCHECK_PATH on 127.0.0.1:PORT. A runApp app's
 * /healthz must answer 200 (503 while draining); a plain app is healthy when it answers below 500:
 * a 404 for `/` still proves the server accepts and answers, which is what an orchestrator acts on.
 */
export async function runHealthcheck(info: BuildInfo, env: NodeJS.ProcessEnv, err: (s: string) => void): Promise<number> {
  const port = Number(env.PORT || info.defaultPort);
  const path = env.HEALTHCHECK_PATH || healthcheckPathOf(info);
  const timeoutMs = Number(env.HEALTHCHECK_TIMEOUT_MS || 3000);
  if (!Number.isInteger(port) || port <= 0 || port > 65535) { err(`healthcheck: PORT must be a number from 1 to 65535, got "${env.PORT}"`); return 1; }
  const healthy = (status: number): boolean => (info.runApp && !info.healthcheckPath ? status === 200 : status < 500);
  // An app may listen on IPv4 or IPv6 loopback (or both, on "::"): try both before calling it down.
  let failure = '';
  for (const host of ['127.0.0.1', '::1']) {
    const answer = await probe(host, port, path, timeoutMs);
    if (typeof answer === 'number') {
      if (healthy(answer)) return 0;
      err(`healthcheck: GET ${path} on port ${port} answered ${answer}`);
      return 1;
    }
    failure ||= `${host === '::1' ? '[::1]' : host}:${port}: ${answer.message}`;
  }
  err(`healthcheck: ${failure}`);
  return 1;
}

function probe(host: string, port: number, path: string, timeoutMs: number): Promise<number | Error> {
  return new Promise((resolveAnswer) => {
    const req = process.getBuiltinModule('node:http').request({ host, port, path, method: 'GET', timeout: timeoutMs, headers: { 'user-agent': 'seabuild-healthcheck' } }, (res) => {
      res.resume();
      resolveAnswer(res.statusCode ?? 0);
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', (error) => resolveAnswer(error));
    req.end();
  });
}

function table(rows: string[][]): string {
  const widths = rows.reduce<number[]>((w, row) => row.map((cell, i) => Math.max(w[i] ?? 0, cell.length)), []);
  return rows.map((row) => '  ' + row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0))).join('  ')).join('\n');
}
