// esbuild plugins: swap runtime modules for stubs in executables (the tree's plugin is tree-plugin.ts).
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import type { Plugin } from 'esbuild';

export const runtimeDir = resolve(import.meta.dirname, '../../runtime-stubs');
export const runtimeEntry = join(runtimeDir, 'index.ts');

/** Replaces development-only runtime modules (and migrate, when unused) by small stubs. */
export function stubPlugin(options: { hasMigrations: boolean; appRoot: string }): Plugin {
  const replacements = new Map<string, string>([[join(runtimeDir, 'dev-source.ts'), join(runtimeDir, 'stubs/dev-source.ts')]]);
  if (!options.hasMigrations) replacements.set(join(runtimeDir, 'migrate-command.ts'), join(runtimeDir, 'stubs/migrate-command.ts'));
  return {
    name: 'seabuild-stubs',
    setup(build) {
      build.onResolve({ filter: /^\.\.?\/.*(dev-source|migrate-command)\.ts$/ }, (args) => {
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
        return { path: join(runtimeDir, 'stubs/no-pg.ts') };
      });
    },
  };
}
