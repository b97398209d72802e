// The runtime's own commands, answered without loading the app: for plain services as their first
// argument (`./app version`), and for every executable through SEABUILD_COMMAND (the build's channel).
// Only selftest, and help/migrate of an app that calls runApp(), load the app: they need its hooks.
import type { BuildInfo } from './build-info.ts';
import { err, ignoreClosedStdout, out } from './output.ts';

/** Runs `words` (a command and its arguments); resolves with the exit code. */
export async function runBuiltin(info: BuildInfo, words: string[], loadEntry: () => unknown): Promise<number> {
  const [command = '', ...args] = words;
  if (info.runApp && (command === 'help' || command === 'migrate' || command === 'selftest')) {
    const { dispatchRunApp } = await import('./host.ts');
    return dispatchRunApp(loadEntry, words);
  }
  const commands = await import('./commands.ts');
  switch (command) {
    case 'version': return commands.printVersion(commands.versionOf(info), args, out);
    case 'help': return commands.printHelp(info, info.migrationsKey !== undefined, out);
    case 'assets': return commands.printAssets(info, args, out);
    case 'healthcheck': return commands.runHealthcheck(info, process.env, err);
    case 'load-addons': return (await import('./addons.ts')).loadAddons(out);
    case 'selftest': out('no selftest defined'); return 0;
    case 'migrate': {
      const { runMigrate } = await import('./migrate-command.ts');
      const { loadSeaSource } = await import('./sea-source.ts');
      const { loadDevSource } = await import('./dev-source.ts');
      const source = loadSeaSource() ?? loadDevSource(process.cwd());
      ignoreClosedStdout();
      return runMigrate(args, { env: process.env, source, stdout: process.stdout, stderr: process.stderr });
    }
    default:
      err(`${info.name}: unknown runtime command "${command}" (SEABUILD_COMMAND takes: version, help, assets, healthcheck, migrate, selftest, load-addons)`);
      return 2;
  }
}
