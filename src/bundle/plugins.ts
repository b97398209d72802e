// esbuild plugins: swap runtime modules for stubs in executables (the tree's plugin is tree-plugin.ts).
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import type { Plugin } from 'esbuild';

export const runtimeDir = resolve(import.meta.dirname, '../../runtime-stubs');
// The runtime's modules are TypeScript in a checkout and compiled JavaScript in the installed package
// (dist/runtime-stubs beside dist/src): they end as this file does.
const runtimeExtension = import.meta.filename.endsWith('.ts') ? '.ts' : '.js';

/** The path of the runtime module `name` (without extension), e.g. `vfs/bootstrap`. */
export function runtimeFile(name: string): string {
  return join(runtimeDir, `${name}${runtimeExtension}`);
}

export const runtimeEntry = runtimeFile('index');

/** Replaces development-only runtime modules (and migrate, when unused) by small stubs. */
export function stubPlugin(options: { hasMigrations: boolean; appRoot: string }): Plugin {
  const replacements = new Map<string, string>([[runtimeFile('dev-source'), runtimeFile('stubs/dev-source')]]);
  if (!options.hasMigrations) replacements.set(runtimeFile('migrate-command'), runtimeFile('stubs/migrate-command'));
  return {
    name: 'seabuild-stubs',
    setup(build) {
      build.onResolve({ filter: /^\.\.?\/.*(dev-source|migrate-command)\.[jt]s$/ }, (args) => {
        const target = replacements.get(resolve(args.resolveDir, args.path));
        return target ? { path: target } : undefined;
      });
      // The runtime asks for pg (migrate with DATABASE_URL): the app's own when it depends on it (one
      // copy in the bundle), else seabuild's, so migrate works whether or not the app uses pg.
      build.onResolve({ filter: /^pg$/ }, (args) => {
        if (!args.resolveDir.startsWith(runtimeDir)) return undefined;
        for (const from of [join(options.appRoot, 'package.json'), import.meta.filename]) {
          try { return { path: createRequire(from).resolve('pg') }; } catch { /* try the next */ }
        }
        return { path: runtimeFile('stubs/no-pg') };
      });
    },
  };
}
