// The bundle stage's artifact and settings (src/bundle/index.ts bundles, src/bundle/tree-mode.ts does not).
import type { Metafile } from 'esbuild';
import type { Warning } from '../errors.ts';
import type { ResolvedConfig } from '../config.ts';
import type { BundledEntry } from './entries.ts';
import type { FileReference } from './references.ts';
import type { PackageDataReference } from './tree-plugin.ts';
import type { MissingPackage } from './missing-packages.ts';
import type { CompiledFiles } from './decorators.ts';
import type { TracedFiles } from '../trace-files/index.ts';
import type { AppCommand } from '../../runtime-stubs/build-info.ts';

/** The slice of the config the bundle stage reads. */
export type BundleSettings = Pick<ResolvedConfig, 'entry' | 'external' | 'migrationsDir' | 'minify' | 'root'> & Partial<Pick<ResolvedConfig, 'bundle' | 'args' | 'commands' | 'mode' | 'sourceMaps'>>;

/** The bundled program and what went into it. */
export interface Bundle {
  path: string;
  sizeBytes: number;
  sha256: string;
  metafile: Metafile;
  /** sha256 of each input file of the metafile (key as the metafile names it; namespaced inputs have none): the report's inputs digest. */
  inputSha256: Record<string, string>;
  /** The metafile's name of the generated launcher module (seabuild's runtime, not a file). */
  launcherInput: string;
  /** Each package folder of the inputs (`node_modules/ms`, as the metafile names it) → its package.json version: the report's npm components. */
  packageVersions: Record<string, string>;
  warnings: Warning[];
  /** What the embedded file tree needs (src/embed/files reads it). */
  tree: BundleTree;
  /** Bytes of the banner (the tree's bootstrap) at the top of the bundle: seabuild's runtime, not in the metafile. */
  bannerBytes: number;
  /** How the runtime starts the app. */
  launch: BundleLaunch;
}

/** What the launcher needs to know about the app's entry. */
export interface BundleLaunch {
  /** The entry's tree path (`process.argv[1]` inside the executable), e.g. `src/main.js`. */
  entry: string;
  /** The entry calls runApp() (imports seabuild/runtime): the app owns its commands. */
  runApp: boolean;
  /** The bundle's source map (app-relative sources), embedded for stack traces; absent with sourceMaps false. */
  sourceMap?: string;
  /** The app's own commands from package.json scripts (src/commands); bundle mode only. */
  commands?: Record<string, AppCommand>;
  /** Default arguments (config `args`); `seabuild:tree/<path>` for one naming a file of the tree. */
  args?: string[];
}

/** Files the bundled code needs at run time besides the bundle itself. */
export interface BundleTree {
  /** Files and folders the code opens by path (found by scanning the modules). */
  references: FileReference[];
  /** Native addons imported by a literal specifier, and the module importing each. */
  addons: Array<{ path: string; from: string }>;
  /** Scripts started by path (workers), each bundled on its own. */
  entries: BundledEntry[];
  /** Packages whose bundled modules compute paths from their own location: their published data files are carried. */
  packageData: PackageDataReference[];
  /** Packages that package code imports but that are not installed: they fail at run time, as under node. */
  missingPackages: MissingPackage[];
  /** App files compiled by the app's TypeScript for their decorator metadata. */
  compiled: CompiledFiles;
  /** Packages the app's commands need whole (src/commands): a bin's package, the database drivers. */
  commandPackages?: string[];
  /** Tree mode (src/bundle/tree-mode.ts): every file `node ENTRY` opens, found by the tracer; the app is not bundled. */
  traced?: TracedFiles;
}
