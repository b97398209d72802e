// Stage 2: everything the executable carries besides code — assets, migrations, build info — as SEA assets.
import { writeFile } from 'node:fs/promises';
import { join, sep } from 'node:path';
import type { Warning } from '../errors.ts';
import type { ResolvedConfig } from '../config.ts';
import { buildInfoKey, sourceMapKey, type BuildInfo } from '../../runtime-stubs/build-info.ts';
import { collectAssets, type AssetSet } from './assets.ts';
import { collectMigrations, type MigrationSet } from './migrations.ts';
import { treeSeaAssets, type PackageFiles, type TreeMode } from './files/index.ts';
import { treeAssetPrefix, treeManifestKey } from '../../runtime-stubs/vfs/manifest.ts';
import { byteOrder } from '../order.ts';

export type { AssetSet } from './assets.ts';
export type { MigrationSet } from './migrations.ts';
export type { PackageFile, PackageFiles, TreeMode } from './files/index.ts';

const migrationsKey = 'seabuild/migrations.json';

/** The slice of the config the embed stage reads. */
export type EmbedSettings = Pick<ResolvedConfig, 'assetPrefix' | 'assetsDir' | 'commit' | 'healthcheckPath' | 'migrationsDir' | 'mode' | 'name' | 'port' | 'sourceDateEpoch' | 'version'>;

/** What goes into the executable next to the bundle. */
export interface Embedded {
  info: BuildInfo;
  assets?: AssetSet;
  migrations?: MigrationSet;
  /** The package files of the embedded tree (src/embed/files). */
  packageFiles?: PackageFiles;
  /** SEA asset key → file on disk, sorted by key so the blob is deterministic. */
  seaAssets: Record<string, string>;
  /** What the build should say about what it left out (a plain app's assets folder it never reads). */
  warnings?: Warning[];
}

/** How the runtime starts the app (the bundle stage knows it). */
export interface LaunchInfo {
  /** The entry's tree path. */
  entry: string;
  runApp: boolean;
  /** Default arguments (`seabuild:tree/<path>` for a file of the tree). */
  args?: string[];
  /** The bundle's source map, embedded for the runtime's stack traces (runtime-stubs/source-maps.ts). */
  sourceMap?: string;
  /** The app's own commands (package.json scripts). */
  commands?: BuildInfo['commands'];
}

/** Collects assets and migrations and writes the build info, all under `workDir`; `tree` adds the package files. */
export async function embed(config: EmbedSettings, workDir: string, tree?: { files: PackageFiles; layout: TreeMode }, launch?: LaunchInfo): Promise<Embedded> {
  // Digested assets are served by the runtime in front of a runApp app only: a plain app serves its
  // folder itself (express.static), from the tree, and the same files twice doubled what it carried.
  const assetsDir = launch?.runApp === false ? undefined : config.assetsDir;
  const warnings = launch?.runApp === false && config.assetsDir ? unservedAssets(config.assetsDir, tree?.files) : [];
  const assets = assetsDir ? await collectAssets(assetsDir, config.assetPrefix, join(workDir, 'embed')) : undefined;
  const migrations = config.migrationsDir ? await collectMigrations(config.migrationsDir) : undefined;
  const info: BuildInfo = {
    name: config.name,
    version: config.version,
    ...(config.commit ? { commit: config.commit } : {}),
    builtAt: new Date(config.sourceDateEpoch * 1000).toISOString(),
    assetPrefix: config.assetPrefix,
    assets: assets?.records ?? [],
    ...(migrations ? { migrationsKey } : {}),
    defaultPort: config.port,
    mode: config.mode,
    ...(launch ? { runApp: launch.runApp, entry: launch.entry, ...(launch.args ? { args: launch.args } : {}) } : {}),
    ...(launch?.commands && Object.keys(launch.commands).length > 0 ? { commands: launch.commands } : {}),
    ...(config.healthcheckPath ? { healthcheckPath: config.healthcheckPath } : {}),
    ...(launch?.sourceMap ? { sourceMapKey } : {}),
  };
  const files: Record<string, string> = { ...(assets?.files ?? {}) };
  files[buildInfoKey] = join(workDir, 'build.json');
  if (launch?.sourceMap) files[sourceMapKey] = launch.sourceMap;
  await writeFile(files[buildInfoKey], JSON.stringify(info));
  if (migrations) {
    files[migrationsKey] = join(workDir, 'migrations.json');
    await writeFile(files[migrationsKey], JSON.stringify(migrations.migrations));
  }
  if (tree) Object.assign(files, await treeSeaAssets(tree.files, tree.layout, config.sourceDateEpoch, workDir));
  return { info, ...(assets ? { assets } : {}), ...(migrations ? { migrations } : {}), ...(tree ? { packageFiles: tree.files } : {}), seaAssets: sortByKey(files), warnings };
}

/** A plain app's assets folder that the app never reads: nothing of it is in the executable, which may surprise. */
function unservedAssets(assetsDir: string, files: PackageFiles | undefined): Warning[] {
  const inside = `${assetsDir}${sep}`;
  if (files?.files.some((file) => file.sourcePath.startsWith(inside))) return [];
  return [{
    code: 'ASSETS_NOT_SERVED',
    message: 'this folder is not embedded: digested assets are served by the runtime to runApp apps only, and this app (a plain entry) opens none of its files',
    file: assetsDir,
    fix: 'serve it from the app (express.static(path.join(__dirname, "public"))), list it with "include": { ".": ["public/**"] }, or set "assets": false',
  }];
}

/** The SEA assets of `embedded` with its tree in another layout: the image variant uses `{ mode: 'external', root }`. */
export async function withTreeLayout(embedded: Embedded, layout: TreeMode, config: Pick<ResolvedConfig, 'sourceDateEpoch'>, workDir: string): Promise<Record<string, string>> {
  if (!embedded.packageFiles) return embedded.seaAssets;
  const kept = Object.entries(embedded.seaAssets).filter(([key]) => key !== treeManifestKey && !key.startsWith(treeAssetPrefix));
  return sortByKey({ ...Object.fromEntries(kept), ...(await treeSeaAssets(embedded.packageFiles, layout, config.sourceDateEpoch, workDir)) });
}

function sortByKey(files: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(files).sort(([a], [b]) => byteOrder(a, b)));
}
