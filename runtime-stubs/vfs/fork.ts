// child_process.fork(modulePath): under node it starts `node modulePath`; inside the executable,
// process.execPath is the executable itself, which would run the app's entry again. For a module of
// the tree (a worker pool's child script, the app's own), the child is told which module to run
// through SEABUILD_RUN_MODULE, which the runtime's launcher takes out of the environment and runs as
// the main module instead of the entry (runtime-stubs/launch.ts).
import type { Tree } from './tree.ts';
import { pathArgument } from './tree.ts';
import { whenLoaded } from './lazy-patches.ts';

/** Replaces child_process.fork so that a module of the tree runs in the child, not the entry (once the app loads child_process). */
export function patchFork(tree: Tree): void {
  whenLoaded('child_process', () => replaceFork(tree));
}

function replaceFork(tree: Tree): void {
  const childProcess = process.getBuiltinModule('node:child_process');
  const original = childProcess.fork;
  (childProcess as any).fork = function fork(modulePath: string | URL, args?: unknown, options?: unknown) {
    const abs = pathArgument(modulePath);
    if (abs === undefined || tree.relative(abs) === undefined) return original.call(childProcess, modulePath, args as never, options as never);
    // fork(modulePath, options) is allowed too: options may come second.
    const [list, opts] = Array.isArray(args) ? [args, (options ?? {}) as Record<string, any>] : [[], (args ?? {}) as Record<string, any>];
    const env = { ...(opts.env ?? process.env), SEABUILD_RUN_MODULE: abs };
    return original.call(childProcess, abs, list, { ...opts, env });
  };
}
