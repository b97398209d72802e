// A script started as node would start it. Under node, child_process.fork(modulePath) and
// spawn/spawnSync/execFile/execFileSync(process.execPath, [script, ...args]) run `node script`
// (jsdom's synchronous XHR runs its xhr-sync-worker.js that way, Node-RED runs npm's npm-cli.js);
// inside the executable, process.execPath is the executable itself, which would run the app's entry
// again: a child that starts another, a fork bomb. The child is told which module to run through
// SEABUILD_RUN_MODULE, which the runtime's launcher takes out of the environment and runs as the main
// module instead of the entry (runtime-stubs/launch.ts, bootstrap.ts runAsMain): a script of the
// tree, one on disk, or one that exists nowhere (it fails as node fails: Cannot find module).
import { pathArgument } from './tree.ts';
import { whenLoaded } from './lazy-patches.ts';

type Options = Record<string, any> | undefined;

/** Replaces fork and the process.execPath forms of spawn, spawnSync, execFile and execFileSync (once the app loads child_process). */
export function patchFork(): void {
  whenLoaded('child_process', replaceStarts);
}

function replaceStarts(): void {
  const childProcess = process.getBuiltinModule('node:child_process') as any;
  // node's first argument that is not an option is the script; relative to the child's working directory.
  const scriptOf = (value: unknown, options: Options): string | undefined => {
    if (typeof value !== 'string' || value === '' || value.startsWith('-')) return undefined;
    const path = process.getBuiltinModule('node:path');
    return path.resolve(typeof options?.cwd === 'string' ? options.cwd : process.cwd(), value);
  };
  const withModule = (options: Options, abs: string): Record<string, any> => ({ ...options, env: { ...(options?.env ?? process.env), SEABUILD_RUN_MODULE: abs } });
  const fork = childProcess.fork;
  childProcess.fork = function (modulePath: string | URL, args?: unknown, options?: unknown) {
    const abs = pathArgument(modulePath);
    if (abs === undefined) return fork.call(childProcess, modulePath, args, options);
    // fork(modulePath, options) is allowed too: options may come second.
    const [list, opts] = Array.isArray(args) ? [args, options as Options] : [[], args as Options];
    return fork.call(childProcess, abs, list, { ...opts, env: { ...(opts?.env ?? process.env), SEABUILD_RUN_MODULE: abs } });
  };
  for (const name of ['spawn', 'spawnSync', 'execFile', 'execFileSync']) {
    const original = childProcess[name];
    childProcess[name] = function (file: unknown, args?: unknown, ...rest: unknown[]) {
      // The options object is the first plain object after the arguments (execFile's callback comes last).
      const at = rest.findIndex((value) => typeof value === 'object' && value !== null);
      const given = at < 0 ? undefined : rest[at] as Options;
      const abs = file === process.execPath && Array.isArray(args) ? scriptOf(args[0], given) : undefined;
      if (abs === undefined) return original.call(childProcess, file, args, ...rest);
      const options = withModule(given, abs);
      const tail = at < 0 ? [options, ...rest] : rest.map((value, i) => (i === at ? options : value));
      return original.call(childProcess, file, [abs, ...(args as unknown[]).slice(1)], ...tail);
    };
  }
}
