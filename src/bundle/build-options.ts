// The esbuild options every bundle shares (the app's bundle, src/bundle/index.ts, and tree mode's
// launcher-only bundle, src/bundle/tree-mode.ts).
import type { BuildOptions } from 'esbuild';
import type { ResolvedConfig } from '../config.ts';
import { launcherSpecifier } from './launcher.ts';
import { runtimeEntry } from './plugins.ts';

/** The slice of the config these options read. */
type Settings = Pick<ResolvedConfig, 'minify' | 'root'>;

/** The esbuild options of every bundle: the runtime's launcher as its entry, CommonJS for Node 22 and up. */
export function launcherBuildOptions(config: Settings, outfile: string): BuildOptions {
  return {
    // The runtime's launcher first; it requires the app's entry only when the command needs it.
    entryPoints: [launcherSpecifier],
    absWorkingDir: config.root,
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    // Users ship on Node 22, 24 and 26: never emit syntax newer than the oldest.
    target: 'node22',
    metafile: true,
    write: true,
    logLevel: 'silent',
    minify: config.minify,
    // Without it esbuild renames a class that names itself (`var X = class _X`): Nest logs
    // [_InstanceLoader], and `err.name = NotFoundError.name` gives "_NotFoundError".
    keepNames: true,
    // Node resolves package "exports" with `require`/`import`, `node` and `default` only. Without a list
    // esbuild adds Webpack's `module`, and require() got i18next-fs-backend's ES module build.
    conditions: [],
    legalComments: 'none',
    alias: { 'seabuild/runtime': runtimeEntry },
  };
}
