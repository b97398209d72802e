// worker_threads: a new thread starts without the tree's hooks, and Node's loader cannot read a tree
// file from memory. A Worker whose script lies in the tree therefore starts from a small eval script
// that installs the tree in the new thread (the install function's own source, `installSource`) and
// then loads the script through the hooked loader, as its main module.
import type { Tree } from './tree.ts';
import { pathArgument } from './tree.ts';
import { whenLoaded } from './lazy-patches.ts';

/** Replaces worker_threads.Worker so that scripts in the tree run, once the app loads worker_threads. */
export function patchWorker(tree: Tree, installSource: string): void {
  whenLoaded('worker_threads', () => replaceWorker(tree, installSource));
}

function replaceWorker(tree: Tree, installSource: string): void {
  const threads = process.getBuiltinModule('node:worker_threads');
  const Original = threads.Worker;
  class Worker extends Original {
    constructor(filename: string | URL, options: import('node:worker_threads').WorkerOptions = {}) {
      const abs = options.eval ? undefined : pathArgument(filename);
      if (abs === undefined || tree.relative(abs) === undefined) {
        super(filename, options);
        return;
      }
      const script = `(${installSource})();globalThis.__seabuild.runMain(${JSON.stringify(abs)});`;
      super(script, { ...options, eval: true });
    }
  }
  (threads as any).Worker = Worker;
}
