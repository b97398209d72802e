// The first code of every executable after the tree's bootstrap (the bundle's entry is a launcher
// module that calls `launch`, see src/bundle/launcher.ts). It decides what runs before any module of
// the app is loaded, and loads the app only for what needs it. Everything past the decision is
// imported lazily: every byte and millisecond here ships in every start.
import { getAsset, isSea } from 'node:sea';
import { buildInfoKey, type AppCommand, type BuildInfo } from './build-info.ts';
import { mapStackTraces } from './source-maps.ts';
import { treeSpecifierPrefix } from './vfs/manifest.ts';
import type { SeabuildRuntime } from './vfs/bootstrap.ts';

/** What the generated launcher module passes: the app's entry, required only when it must run. */
export interface LaunchInput {
  loadEntry: () => unknown;
}

/**
 * The channel the build uses to talk to an executable without any command line: the words of a
 * runtime command (`SEABUILD_COMMAND='version --json'`). Taken out of the environment first, so
 * neither the app nor its child processes ever see it.
 */
export const commandVariable = 'SEABUILD_COMMAND';
/** A module of the tree to run as the main module instead of the entry (a fork()ed child). */
export const runModuleVariable = 'SEABUILD_RUN_MODULE';

/** Runs the executable: a runtime command, a module of the tree, or the app. */
export function launch(input: LaunchInput): void {
  const command = takeVariable(commandVariable);
  const runModule = takeVariable(runModuleVariable);
  if (runModule) {
    setUpTree().runMain(runModule);
    return;
  }
  const info = readBuildInfo();
  const given = process.argv.slice(2);
  const words = command === undefined ? given : command.split(/\s+/).filter(Boolean);
  const builtin = command !== undefined ? words : treeFreeBuiltin(info, given);
  if (builtin && treeFreeCommands.has(builtin[0] ?? '')) {
    // What these print comes from the build info and the SEA's assets: neither the tree nor the app
    // is set up for them, unless a runApp app's help needs the app (then the entry sets the tree up).
    // Their failures print a message, a stack only with SEABUILD_DEBUG: traces are mapped for the app.
    if (process.env.SEABUILD_DEBUG) mapTraces(info);
    const loadEntry = (): unknown => { mapTraces(info); setUpTree(); prepareMain(info.entry ?? 'index.js'); return input.loadEntry(); };
    finish(import('./builtins.ts').then((m) => m.runBuiltin(info, builtin, loadEntry)));
    return;
  }
  mapTraces(info);
  launchWithTree(info, input, command === undefined ? undefined : words);
}

/** Everything but the runtime's tree-free commands: the tree is set up, then the app or a command that reads it runs. */
function launchWithTree(info: BuildInfo, input: LaunchInput, commandWords: string[] | undefined): void {
  setUpTree();
  const given = process.argv.slice(2);
  const defaults = defaultArguments(info);
  const args = given.length === 0 ? defaults : given;
  const entryPath = prepareMain(info.entry ?? 'index.js');
  if (commandWords !== undefined) {
    finish(import('./builtins.ts').then((m) => m.runBuiltin(info, commandWords, input.loadEntry)));
    return;
  }
  if (info.mode === 'cli') {
    runEntry(info, input, entryPath, args);
    return;
  }
  const [first, ...rest] = args;
  // The app's own commands (package.json scripts) come before the runtime's: its migrate is the app's tool.
  const appCommand = first === undefined ? undefined : info.commands?.[first];
  if (appCommand?.main) {
    runEntry(info, input, entryPath, [...appCommand.args, ...rest]);
    return;
  }
  if (appCommand) {
    runAppCommand(appCommand, rest);
    return;
  }
  if (info.runApp && first !== undefined && appFreeCommands.has(first)) {
    // What these print comes from the build info alone (the dispatcher answers them before the app's
    // own commands): the app, with all its packages, is not loaded for them.
    finish(import('./builtins.ts').then((m) => m.runBuiltin(info, [first === '--version' ? 'version' : first, ...rest], input.loadEntry)));
  } else if (info.runApp) {
    // The app's module calls runApp(), which hands itself to the dispatcher: it owns the commands.
    finish(import('./host.ts').then((m) => m.dispatchRunApp(input.loadEntry, args)));
  } else if (first === 'serve') {
    runEntry(info, input, entryPath, rest.length === 0 ? defaults : rest);
  } else if (first !== undefined && plainBuiltins.has(first)) {
    finish(import('./builtins.ts').then((m) => m.runBuiltin(info, args, input.loadEntry)));
  } else {
    runEntry(info, input, entryPath, args);
  }
}

let tracesMapped = false;
/** Maps the bundle's stack traces to the app's sources (source-maps.ts), once. */
function mapTraces(info: BuildInfo): void {
  if (!tracesMapped && info.sourceMapKey && isSea()) mapStackTraces(() => getAsset(info.sourceMapKey!, 'utf8'));
  tracesMapped = true;
}

/**
 * The runtime command the arguments given name, when the decision below would run it: not in a
 * command-line program, not shadowed by an app command (`version` of a runApp app as `--version` too).
 */
function treeFreeBuiltin(info: BuildInfo, given: string[]): string[] | undefined {
  const [first, ...rest] = given;
  if (first === undefined || info.mode === 'cli' || info.commands?.[first]) return undefined;
  if (info.runApp) return appFreeCommands.has(first) ? [first === '--version' ? 'version' : first, ...rest] : undefined;
  return plainBuiltins.has(first) ? given : undefined;
}

/**
 * Sets the tree up once (the bundle's banner, src/bundle/vfs-banner.ts): the manifest, the fs and
 * module patches, `globalThis.__seabuild` and the bundle's `require`. Without that banner (this
 * module loaded on its own) the runtime is whatever `globalThis.__seabuild` already holds.
 */
function setUpTree(): SeabuildRuntime {
  return typeof __seabuild_set_up === 'function' ? __seabuild_set_up() : (globalThis as any).__seabuild;
}
declare const __seabuild_set_up: (() => SeabuildRuntime) | undefined;

/** The runtime's commands of a runApp app that need nothing of the app. */
const appFreeCommands = new Set(['version', '--version', 'assets', 'healthcheck']);

/** The runtime's commands that read only the build info and the SEA's assets: the tree is not set up for them (help: a plain service's). */
const treeFreeCommands = new Set([...appFreeCommands, 'help']);

/** The words a plain service reserves as its first argument; everything else goes to the app. */
const plainBuiltins = new Set(['version', 'help', 'assets', 'migrate', 'healthcheck']);

/** `node ENTRY ARGS`, with the runtime's drain on SIGTERM/SIGINT for the HTTP servers a service opens. */
function runEntry(info: BuildInfo, input: LaunchInput, entryPath: string, args: string[]): void {
  process.argv.splice(1, process.argv.length - 1, entryPath, ...args);
  if (info.mode !== 'cli') {
    // `.js`: esbuild finds plain.ts behind it in a checkout, and the compiled plain.js in the package.
    const { watchServers } = require('./plain.js') as typeof import('./plain.ts');
    watchServers({ graceMs: Number(process.env.SHUTDOWN_GRACE_MS ?? 10000), delayMs: Number(process.env.SHUTDOWN_DELAY_MS ?? 0) });
  }
  input.loadEntry();
}

/** `./app NAME ARGS`: the command's script as the main module, as `npm run NAME -- ARGS` runs it (runtime-stubs/app-command.ts). */
function runAppCommand(command: AppCommand, args: string[]): void {
  const path = prepareMain(command.entry);
  (require('./app-command.js') as typeof import('./app-command.ts')).enterPackageFolder();
  process.argv.splice(1, process.argv.length - 1, path, ...command.args, ...args);
  const runtime = (globalThis as any).__seabuild;
  if (command.esm) runtime.import('', runtime.url(command.entry));
  else runtime.runMain(path);
}

/**
 * The entry's path in the tree, and `__seabuild.setMain`, which the entry (a CommonJS module) calls
 * first (src/bundle/rewrite.ts): its module object becomes require.main, as under `node ENTRY`.
 */
function prepareMain(entry: string): string {
  const runtime = (globalThis as any).__seabuild;
  const entryPath: string = runtime.dir(entry);
  runtime.setMain = (module: any) => {
    const Module = process.getBuiltinModule('node:module') as any;
    const dir = entryPath.slice(0, entryPath.lastIndexOf('/')) || '/';
    Object.assign(module, { id: '.', filename: entryPath, path: dir, loaded: false, children: [], paths: Module._nodeModulePaths(dir) });
    if (typeof module.require !== 'function') module.require = Module.createRequire(entryPath);
    runtime.main = module;
    process.mainModule = module;
    // Packages read require.main off a require they were handed (require-main-filename, so yargs):
    // the bundle's own require is that one.
    if (runtime.require) runtime.require.main = module;
    return module;
  };
  return entryPath;
}

/** The build's default arguments (config `args`); a file of the app (`seabuild:tree/<path>`) becomes its path in the tree. */
function defaultArguments(info: BuildInfo): string[] {
  return (info.args ?? []).map((arg) => (arg.startsWith(treeSpecifierPrefix) ? (globalThis as any).__seabuild.dir(arg.slice(treeSpecifierPrefix.length)) : arg));
}

function readBuildInfo(): BuildInfo {
  if (isSea()) return JSON.parse(getAsset(buildInfoKey, 'utf8'));
  // A bundle run under plain node with its SEA assets as files (runtime-stubs/stubs/dev-source.ts).
  const dir = process.env.SEABUILD_EMBED_DIR;
  if (!dir) throw new Error('seabuild: this bundle runs inside its executable (or with SEABUILD_EMBED_DIR set to its embedded files)');
  const fs = process.getBuiltinModule('node:fs');
  return JSON.parse(fs.readFileSync(`${dir}/${buildInfoKey}`, 'utf8'));
}

function takeVariable(name: string): string | undefined {
  const value = process.env[name];
  delete process.env[name];
  return value;
}

/** Exits with the command's code once it is done (pools and timers of a command may stay open). */
function finish(done: Promise<number>): void {
  done.then(
    (code) => { process.exitCode = code; },
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
      if (process.env.SEABUILD_DEBUG) process.stderr.write(`${String((error as Error)?.stack)}\n`);
      process.exitCode = 1;
    },
  ).finally(() => setImmediate(() => process.exit()));
}
