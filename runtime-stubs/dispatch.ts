// The command dispatcher of an app that calls runApp(): `./app COMMAND ARGS` → a built-in command,
// the app's own command, or serve. The launcher hands it the app inside an executable; under plain
// Node (development) runApp() calls it directly.
import { loadSeaSource } from './sea-source.ts';
import { loadDevSource } from './dev-source.ts';
import { createAssetStore } from './assets/serve.ts';
import { printAssets, printHelp, printVersion, runHealthcheck, versionOf } from './commands.ts';
import type { AppModule, CommandContext } from './contract.ts';
import type { MigrateInvocation } from './migrate-command.ts';
import type { RuntimeSource } from './build-info.ts';
import { err, ignoreClosedStdout, out } from './output.ts';

/** Runs one command of `app`; resolves with the exit code. */
export async function dispatch(app: AppModule, argv: string[]): Promise<number> {
  const source: RuntimeSource = loadSeaSource() ?? loadDevSource(process.argv[1] ?? process.cwd());
  // Only runApp apps come here: they answer /healthz themselves (the runtime's serve does).
  const info = { ...source.info, runApp: true };
  const env = process.env;
  const version = versionOf(info);
  const assets = createAssetStore(info.assets, info.assetPrefix, source.read);
  const ctx: CommandContext = { env, assets, version };
  const hasMigrations = info.migrationsKey !== undefined;
  const [command = 'serve', ...args] = argv;
  switch (command) {
    case 'serve': {
      // Migrations never run implicitly; `serve --migrate` is the explicit opt-in for development.
      if (args.includes('--migrate')) {
        const code = await runMigrate([], migrateInvocation(app, ctx, source));
        if (code !== 0) return code;
      }
      const port = parsePort(env.PORT, info.defaultPort);
      // serve (node:http) and migrate (the runner, pg) are loaded by the commands that run them, not by `version`.
      const { serveApp } = await import('./serve.ts');
      return serveApp(app, { env, version }, { port, host: env.HOST ?? '0.0.0.0', drain: drainSettings(env), assets, log: err });
    }
    case 'version': case '--version':
      return printVersion(version, args, out);
    case 'help': case '--help': case '-h':
      return printHelp(info, hasMigrations, out, app);
    case 'assets':
      return printAssets(info, args, out);
    case 'selftest':
      // Run by the build's smoke test inside the finished rootfs: proves the app's own core loads there.
      if (app.selftest) await app.selftest(ctx);
      out(app.selftest ? 'selftest passed' : 'no selftest defined');
      return 0;
    case 'healthcheck':
      return runHealthcheck(info, env, err);
    case 'migrate':
      ignoreClosedStdout();
      return runMigrate(args, migrateInvocation(app, ctx, source));
    default: {
      const custom = app.commands?.[command];
      if (custom) return (await custom.run(args, ctx)) ?? 0;
      err(`${info.name}: unknown command "${command}"; run "${info.name} help" for the list`);
      return 2;
    }
  }
}

async function runMigrate(args: string[], invocation: MigrateInvocation): Promise<number> {
  return (await import('./migrate-command.ts')).runMigrate(args, invocation);
}

function migrateInvocation(app: AppModule, ctx: CommandContext, source: RuntimeSource): MigrateInvocation {
  return { ...(app.database ? { database: () => app.database!(ctx) } : {}), env: ctx.env, source, stdout: process.stdout, stderr: process.stderr };
}

/** SHUTDOWN_GRACE_MS and SHUTDOWN_DELAY_MS, checked. */
export function drainSettings(env: NodeJS.ProcessEnv): { graceMs: number; delayMs: number } {
  return { graceMs: milliseconds(env, 'SHUTDOWN_GRACE_MS', 10_000), delayMs: milliseconds(env, 'SHUTDOWN_DELAY_MS', 0) };
}

function milliseconds(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const value = env[name];
  if (value === undefined || value === '') return fallback;
  const ms = Number(value);
  if (!Number.isFinite(ms) || ms < 0) throw new Error(`${name} must be a number of milliseconds, got "${value}"`);
  return ms;
}

/** PORT, checked; `fallback` is the build's default port. */
export function parsePort(value: string | undefined, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a number from 0 to 65535, got "${value}"`);
  return port;
}
