// The bundle's entry is not the app's: it is a small generated module that hands the app's entry to
// the runtime's launcher (runtime-stubs/launch.ts), which decides what runs before any module of the
// app is loaded. The app's entry is required lazily, so `./app version` never runs app code.
import { join } from 'node:path';
import type { Metafile, Plugin } from 'esbuild';
import { runtimeEntry, runtimeFile } from './plugins.ts';

/** The specifier of the generated launcher module (its own namespace keeps the bundle's comments stable). */
export const launcherSpecifier = 'seabuild:launch';

/** Resolves `seabuild:launch` to a module that calls launch({ loadEntry: () => require(ENTRY) }). */
export function launcherPlugin(entry: string, root: string): Plugin {
  return {
    name: 'seabuild-launcher',
    setup(build) {
      build.onResolve({ filter: /^seabuild:launch$/ }, () => ({ path: 'launch', namespace: 'seabuild' }));
      build.onLoad({ filter: /^launch$/, namespace: 'seabuild' }, () => ({
        contents: `require(${JSON.stringify(runtimeFile('launch'))}).launch({ loadEntry: () => require(${JSON.stringify(entry)}) });\n`,
        loader: 'js',
        resolveDir: root,
      }));
    },
  };
}

/** True when the app's code imports seabuild/runtime (it calls runApp), read from the metafile. */
export function usesRunApp(metafile: Metafile, root: string): boolean {
  return Object.keys(metafile.inputs).some((input) => join(root, input) === runtimeEntry);
}
