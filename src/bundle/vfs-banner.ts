// The bundle's banner: runtime-stubs/vfs/bootstrap.ts compiled to one function, and the function
// that runs it once, `__seabuild_set_up()`, which the launcher (runtime-stubs/launch.ts) calls
// before the first module of the app or a command that reads the tree: `./app version` never sets
// the tree up (its manifest, the fs and module patches, the ESM hooks: with them, `version` ran
// 1.15× the instructions of a raw SEA's start, 1.06× without; docs/BENCHMARKS.md). The install
// function's own source text is what worker threads evaluate to install the tree.
import { build } from 'esbuild';
import { runtimeFile } from './plugins.ts';

let compiled: Promise<string> | undefined;

// A builtin loaded the way a package under node_modules loads it: Node decides some deprecation
// warnings (punycode's DEP0040) by whether the caller's file lies under node_modules, and inside one
// bundle no module does. The vm script's file name is the caller Node sees, so it calls Node's own
// getBuiltinModule, taken before the bootstrap wraps it (runtime-stubs/vfs/lazy-patches.ts): the
// wrapper's frame, in the bundle, would be the caller otherwise.
const builtinFromPackage = 'var __seabuild_builtin_from_package = ((get) => (name) => new (get("node:vm").Script)("(get, name) => get(name)", { filename: "/node_modules/seabuild/builtin-from-package.js" }).runInThisContext()(get, name))(process.getBuiltinModule);';

/** `var __seabuild_builtin_from_package = …; function __seabuild_install() {…}; function __seabuild_set_up() {…}` — the same text for every bundle. */
export function vfsBanner(): Promise<string> {
  compiled ??= build({
    entryPoints: [runtimeFile('vfs/bootstrap')],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'node',
    target: 'node22',
    minifyWhitespace: true,
    minifySyntax: true,
    legalComments: 'none',
    logLevel: 'silent',
  }).then((result) => {
    const code = result.outputFiles[0]!.text.trim();
    // Package code calls the helpers as `__seabuild.…` and loads through the tree's `require`: both
    // bindings of the bundle's scope are set here, before any package module runs.
    return `${builtinFromPackage}\nvar __seabuild;\nfunction __seabuild_install() { ${code} return globalThis.__seabuild; }\n` +
      'function __seabuild_set_up() { if (!__seabuild) { __seabuild = __seabuild_install(); if (__seabuild.require) require = __seabuild.require; } return __seabuild; }';
  });
  return compiled;
}

/**
 * The banner of a script that runs package code from its first line, with no launcher before it (a
 * worker or a forked script bundled on its own, src/bundle/entries.ts): it sets the tree up at once.
 */
export async function eagerVfsBanner(): Promise<string> {
  return `${await vfsBanner()}\n__seabuild_set_up();`;
}
