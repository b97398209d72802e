// What the build records for the runtime: embedded as the SEA asset `seabuild/build.json`,
// or computed from the source tree when the app runs under plain Node (development).
import type { AssetRecord } from './assets/manifest.ts';

export const buildInfoKey = 'seabuild/build.json';
/** The SEA asset key of the bundle's source map (runtime-stubs/source-maps.ts). */
export const sourceMapKey = 'seabuild/bundle.cjs.map';

/** Everything the runtime knows about its build. */
export interface BuildInfo {
  name: string;
  version: string;
  commit?: string;
  /** ISO time from SOURCE_DATE_EPOCH; absent in development. */
  builtAt?: string;
  assetPrefix: string;
  assets: AssetRecord[];
  /** SEA asset key of the migrations JSON, when the app has migrations. */
  migrationsKey?: string;
  defaultPort: number;
  /** `service` (the default): built-in commands, then the app; `cli`: every argument goes to the app. */
  mode?: 'service' | 'cli';
  /** True when the entry calls runApp() (it imports seabuild/runtime): the app owns its commands. */
  runApp?: boolean;
  /** The entry's path in the tree (what `process.argv[1]` is), e.g. `src/main.js`. */
  entry?: string;
  /** Default arguments when the app is started with none; `seabuild:tree/<path>` names a file of the tree. */
  args?: string[];
  /** The path `healthcheck` requests, when configured. */
  healthcheckPath?: string;
  /** SEA asset key of the bundle's source map, when the build embedded one: stack traces name the app's files. */
  sourceMapKey?: string;
  /** The app's own commands (package.json scripts): `./app NAME ARGS` runs `entry` with the script's args, then ARGS. */
  commands?: Record<string, AppCommand>;
}

/** One command of the app: a script of the tree run as the main module. */
export interface AppCommand {
  /** Tree path of the script (bundled on its own), e.g. `node_modules/knex/bin/cli.js`. */
  entry: string;
  /** The script's own arguments, before the user's. */
  args: string[];
  /** The script as written in package.json, for `help`. */
  script: string;
  /** An ES module run by Node's loader as it is (a bin with top-level await), not a bundled CommonJS script. */
  esm?: true;
  /** `entry` is the app's own entry (`node ENTRY ARGS`): it runs as `./app serve ARGS` does. */
  main?: true;
}

/** Reads bytes of an embedded file by key. */
export type ReadEmbedded = (key: string) => Buffer;

/** Where the runtime finds its build and its embedded files. */
export interface RuntimeSource {
  info: BuildInfo;
  read: ReadEmbedded;
  /** True inside a single executable application. */
  isExecutable: boolean;
}
