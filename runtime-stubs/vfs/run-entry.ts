// Tree mode's entry (src/bundle/tree-mode.ts): the app's entry is a file of the tree, run as
// `node ENTRY` runs it. CommonJS goes through Module._load as the main module (require.main ===
// module, process.mainModule, module.id '.'); an ES module through Node's ESM loader, which reads it
// from the tree through the ESM hooks (esm-hooks.ts), with import.meta.url its tree path.
// Module.runMain is not used: it resolves the path with the real disk's realpath, which has no tree.

import { treeWorkingDirectory } from './cwd.ts';
import { isEsModule } from './modules.ts';

const url = process.getBuiltinModule('node:url');

/** Loads the tree file `rel` as the main module; an ES module's promise is returned (its failure is the process's, as under node). Its working directory: cwd.ts. */
export function runTreeEntry(rel: string, options: { inAppFolder: boolean; appRuntime?: Record<string, unknown> }): unknown {
  const runtime = (globalThis as any).__seabuild;
  const abs: string = runtime.dir(rel);
  if (runtime.mode !== 'none') {
    // A service keeps the caller's working directory with the app's files shown there (embedded tree),
    // or starts in its app folder (laid out on disk: the image): cwd.ts.
    const inAppFolder = options.inAppFolder && !runtime.mountTree;
    if (options.inAppFolder && runtime.mountTree) runtime.mountTree(process.cwd());
    treeWorkingDirectory(runtime.root, inAppFolder ? runtime.root : undefined, runtime.makeRealDir);
  }
  if (options.appRuntime) provideAppRuntime(options.appRuntime);
  if (isEsModule(abs)) return runtime.import('', url.pathToFileURL(abs).href);
  const Module = process.getBuiltinModule('node:module') as any;
  return Module._load(abs, null, true);
}

/**
 * `seabuild/runtime` (runApp) for the app's modules: the launcher's own copy, the one its dispatcher
 * waits on, not the build tool's package from node_modules (which the tree does not carry).
 * require() gets it through Module._load; import through a resolve hook to a data: module re-exporting it.
 */
function provideAppRuntime(appRuntime: Record<string, unknown>): void {
  const Module = process.getBuiltinModule('node:module') as any;
  (globalThis as any).__seabuild.appRuntime = appRuntime;
  const load = Module._load;
  Module._load = function (request: unknown, ...rest: unknown[]) {
    return request === runtimeSpecifier ? appRuntime : load.call(this, request, ...rest);
  };
  if (typeof Module.registerHooks !== 'function') return;
  const names = Object.keys(appRuntime).filter((name) => /^[A-Za-z_$][\w$]*$/.test(name) && name !== 'default');
  const source = `const m = globalThis.__seabuild.appRuntime; ${names.map((name) => `export const ${name} = m.${name};`).join(' ')} export default m;`;
  Module.registerHooks({
    resolve(specifier: string, context: unknown, next: (s: string, c: unknown) => unknown) {
      return specifier === runtimeSpecifier ? { url: `data:text/javascript,${encodeURIComponent(source)}`, format: 'module', shortCircuit: true } : next(specifier, context);
    },
  });
}

const runtimeSpecifier = 'seabuild/runtime';
