// A bundled module's `import('fs/promises')` runs inside the executable's main script, and Node
// answers a main script's dynamic import of a builtin itself (the embedder's import callback), past
// Module._load and the ESM resolve hook: the tree's lazy patches of fs/promises, worker_threads and
// child_process (runtime-stubs/vfs/lazy-patches.ts) would never be applied for it, and PGlite's
// `(await import("fs/promises")).readFile` of its own pglite.data got ENOENT. Such an import becomes
// the builtin's require (through Module._load, which applies the patches) wrapped as esbuild wraps
// any CommonJS module imported dynamically: `default` and named exports, read live.
import type { Plugin } from 'esbuild';

const namespace = 'seabuild-builtin-import';
/** The builtins the tree patches lazily, with or without `node:`. */
const patchedLazily = /^(node:)?(fs\/promises|worker_threads|child_process)$/;

export function builtinImportsPlugin(): Plugin {
  return {
    name: 'seabuild-builtin-imports',
    setup(build) {
      build.onResolve({ filter: patchedLazily }, (args) => (args.kind === 'dynamic-import' ? { path: args.path, namespace } : undefined));
      build.onLoad({ filter: /.*/, namespace }, (args) => ({ contents: `module.exports = require(${JSON.stringify(args.path)});`, loader: 'js' }));
    },
  };
}
