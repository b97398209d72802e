// The app's own commands at build time: planned from package.json (plan.ts), turned into what the
// bundle carries (each file a script bundled on its own, the rest data) and what the runtime reads
// (the build info's `commands`, run by runtime-stubs/app-command.ts).
import { join } from 'node:path';
import { readdirSync } from 'node:fs';
import type { Warning } from '../errors.ts';
import type { FileReference } from '../bundle/references.ts';
import { treePathOf } from '../bundle/tree-paths.ts';
import type { AppCommand } from '../../runtime-stubs/build-info.ts';
import { planCommands, type CommandPlan } from './plan.ts';
import { missingPaths } from './carry.ts';

export { planCommands, migrateScripts, type CommandPlan } from './plan.ts';

const scriptFile = /(?<!\.d)\.(c|m)?[jt]s$/;

/** What the bundle must carry for the commands: their files bundled on their own, their data as it is. */
export function commandReferences(plans: CommandPlan[], root: string): FileReference[] {
  const from = join(root, 'package.json');
  return plans.filter((plan) => !plan.main).flatMap((plan) => [
    // A bin runs from its package, carried whole (plan.ts); the app's own script is bundled.
    ...(plan.bin ? [] : [{ path: plan.file, kind: 'entry' as const, from, line: 1 }]),
    ...plan.carry.map((path) => ({ path, kind: scriptFile.test(path) ? 'entry' as const : 'data' as const, from, line: 1 })),
  ]);
}

/** The build info's record of each command: the tree path to run and the script's own arguments; an ES module bin runs through Node's loader. */
export function appCommands(plans: CommandPlan[], root: string, runApp: boolean): Record<string, AppCommand> {
  // A runApp app's dispatcher already answers `./app NAME ARGS` as `node ENTRY NAME ARGS` does (examples/kitteh's "node src/main.ts migrate").
  return Object.fromEntries(plans.filter((plan) => !(plan.main && runApp)).map((plan) => [plan.name, {
    entry: treePathOf(plan.file, root) ?? plan.file, args: plan.args, script: plan.script, ...(plan.bin?.esm ? { esm: true } : {}), ...(plan.main ? { main: true } : {}),
  }]));
}

/**
 * Said at build time: a file a command names that is not there (the executable cannot carry it), and an
 * app with its own migrate command beside seabuild SQL migrations (its tool wins, README "Migrations").
 */
export function commandWarnings(plans: CommandPlan[], root: string, migrationsDir: string | undefined): Warning[] {
  const file = join(root, 'package.json');
  const missing = plans.flatMap((plan) => missingPaths(root, plan.args).map((path): Warning => ({
    code: 'COMMAND_FILE_MISSING',
    message: `${plan.origin} ("${plan.script}") names ${path}, which does not exist: ./app ${plan.name} will not find it`,
    file,
    fix: `build ${path} before seabuild (a data source compiled by tsc, say), or fix the path in ${plan.origin}`,
  })));
  // A script that runs the app's own entry (kitteh's `node src/main.ts migrate`) is the app's dispatcher, which owns the SQL migrations.
  const migrate = plans.find((plan) => plan.name === 'migrate' && !plan.main);
  if (!migrate || !migrationsDir || !readdirSync(migrationsDir).some((name) => /\.sql$/i.test(name))) return missing;
  return [...missing, {
    code: 'COMMAND_MIGRATE_OVER_SQL',
    message: `./app migrate runs ${migrate.origin} ("${migrate.script}"), not seabuild's SQL migrations in ${migrationsDir}, which the executable then carries unused`,
    file: join(root, 'package.json'),
    fix: 'keep one migrator: set "migrations": false when your tool owns the schema, or move the SQL files into your tool\'s migrations',
  }];
}

/** Plans the commands of a service (a command-line program passes every argument to the app: it has none). */
export function commandsOf(settings: { root: string; entry: string; commands?: Record<string, string>; mode?: 'service' | 'cli' }): CommandPlan[] {
  if (settings.mode === 'cli') return [];
  return planCommands(settings.root, settings.commands ?? {}).map((plan) => (plan.file === settings.entry ? { ...plan, main: true, carry: [], packages: [] } : plan));
}
