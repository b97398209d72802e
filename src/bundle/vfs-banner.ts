// The bundle's banner: runtime-stubs/vfs/bootstrap.ts compiled to one function that runs before any
// module of the bundle. Its own source text is what worker threads evaluate to install the tree.
import { build } from 'esbuild';
import { runtimeFile } from './plugins.ts';

let compiled: Promise<string> | undefined;

// A builtin loaded the way a package under node_modules loads it: Node decides some deprecation
// warnings (punycode's DEP0040) by whether the caller's file lies under node_modules, and inside one
// bundle no module does. The vm script's file name is the caller Node sees, so it calls Node's own
// getBuiltinModule, taken before the bootstrap wraps it (runtime-stubs/vfs/lazy-patches.ts): the
// wrapper's frame, in the bundle, would be the caller otherwise.
const builtinFromPackage = 'var __seabuild_builtin_from_package = ((get) => (name) => new (get("node:vm").Script)("(get, name) => get(name)", { filename: "/node_modules/seabuild/builtin-from-package.js" }).runInThisContext()(get, name))(process.getBuiltinModule);';

/** `var __seabuild_builtin_from_package = …; var __seabuild = (function __seabuild_install() {…})(); require = …` — the same text for every bundle. */
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
    return `${builtinFromPackage}\nvar __seabuild = (function __seabuild_install() { ${code} return globalThis.__seabuild; })();\nif (__seabuild.require) require = __seabuild.require;`;
  });
  return compiled;
}
