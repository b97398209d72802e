// seabuild's runtime: the code inside every executable that turns `./app COMMAND` into a call.
// The app's entry calls runApp({ serve, commands, env, database, selftest }); the same file runs
// from source under plain Node (development) and inside the single executable.
import { loadSeaSource } from './sea-source.ts';
import { loadDevSource } from './dev-source.ts';
import { createAssetStore } from './assets/serve.ts';
import { printAssets, printHelp, printVersion, runHealthcheck } from './commands.ts';
import { serveApp } from './serve.ts';
import { runMigrate } from './migrate-command.ts';
import type { AppModule, CommandContext, VersionInfo } from './contract.ts';
import type { RuntimeSource } from './build-info.ts';

export type * from './contract.ts';

const out = (line: string): void => { process.stdout.write(`${line}\n`); };
const err = (line: string): void => { process.stderr.write(`${line}\n`); };

/** Dispatches `process.argv` to the app or a built-in command, then exits with its code. */
export function runApp(app: AppModule): void {
  dispatch(app, process.argv.slice(2)).then(
    (code) => { process.exitCode = code; },
    (error: unknown) => {
      err(`${error instanceof Error ? error.message : String(error)}`);
      if (process.env.SEABUILD_DEBUG) err(String((error as Error)?.stack));
      process.exitCode = 1;
    },
  ).finally(() => {
    // serve resolves only after draining; other commands may leave pools open, so exit explicitly.
    setImmediate(() => process.exit());
  });
}

/** The command dispatcher, exported for tests. */
export async function dispatch(app: AppModule, argv: string[]): Promise<number> {
  const source: RuntimeSource = loadSeaSource() ?? loadDevSource(process.argv[1] ?? process.cwd());
  const { info } = source;
  const env = process.env;
  const version: VersionInfo = { name: info.name, version: info.version, node: process.version, ...(info.commit ? { commit: info.commit } : {}), ...(info.builtAt ? { builtAt: info.builtAt } : {}) };
  const assets = createAssetStore(info.assets, info.assetPrefix, source.read);
  const ctx: CommandContext = { env, assets, version };
  const hasMigrations = info.migrationsKey !== undefined;
  const [command = 'serve', ...args] = argv;
  switch (command) {
    case 'serve': {
      // Migrations never run implicitly; `serve --migrate` is the explicit opt-in for development.
      if (args.includes('--migrate')) {
        const code = await runMigrate([], { app, ctx, source, stdout: process.stdout, stderr: process.stderr });
        if (code !== 0) return code;
      }
      const port = parsePort(env.PORT, info.defaultPort);
      const graceMs = Number(env.SHUTDOWN_GRACE_MS ?? 10000);
      return serveApp(app, { env, version }, { port, host: env.HOST ?? '0.0.0.0', graceMs, assets, log: err });
    }
    case 'version': case '--version':
      return printVersion(version, args, out);
    case 'help': case '--help': case '-h':
      return printHelp(app, info, hasMigrations, out);
    case 'assets':
      return printAssets(info, args, out);
    case 'selftest':
      // Run by the build's smoke test inside the finished rootfs: proves the app's own core loads there.
      if (app.selftest) await app.selftest(ctx);
      out(app.selftest ? 'selftest passed' : 'no selftest defined');
      return 0;
    case 'healthcheck':
      return runHealthcheck(parsePort(env.PORT, info.defaultPort), Number(env.HEALTHCHECK_TIMEOUT_MS ?? 3000), err);
    case 'migrate':
      return runMigrate(args, { app, ctx, source, stdout: process.stdout, stderr: process.stderr });
    default: {
      const custom = app.commands?.[command];
      if (custom) return (await custom.run(args, ctx)) ?? 0;
      err(`${info.name}: unknown command "${command}"; run "${info.name} help" for the list`);
      return 2;
    }
  }
}

function parsePort(value: string | undefined, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a number from 0 to 65535, got "${value}"`);
  return port;
}
