// Stage 2: everything the executable carries besides code — assets, migrations, build info — as SEA assets.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ResolvedConfig } from '../config.ts';
import { buildInfoKey, type BuildInfo } from '../../runtime-stubs/build-info.ts';
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
}

/** How the runtime starts the app (the bundle stage knows it). */
export interface LaunchInfo {
  /** The entry's tree path. */
  entry: string;
  runApp: boolean;
  /** The app's own commands (package.json scripts). */
  commands?: BuildInfo['commands'];
}

/** Collects assets and migrations and writes the build info, all under `workDir`; `tree` adds the package files. */
export async function embed(config: EmbedSettings, workDir: string, tree?: { files: PackageFiles; layout: TreeMode }, launch?: LaunchInfo): Promise<Embedded> {
  const assets = config.assetsDir ? await collectAssets(config.assetsDir, config.assetPrefix, join(workDir, 'embed')) : undefined;
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
    ...(launch ? { runApp: launch.runApp, entry: launch.entry } : {}),
    ...(launch?.commands && Object.keys(launch.commands).length > 0 ? { commands: launch.commands } : {}),
    ...(config.healthcheckPath ? { healthcheckPath: config.healthcheckPath } : {}),
  };
  const files: Record<string, string> = { ...(assets?.files ?? {}) };
  files[buildInfoKey] = join(workDir, 'build.json');
  await writeFile(files[buildInfoKey], JSON.stringify(info));
  if (migrations) {
    files[migrationsKey] = join(workDir, 'migrations.json');
    await writeFile(files[migrationsKey], JSON.stringify(migrations.migrations));
  }
  if (tree) Object.assign(files, await treeSeaAssets(tree.files, tree.layout, config.sourceDateEpoch, workDir));
  return { info, ...(assets ? { assets } : {}), ...(migrations ? { migrations } : {}), ...(tree ? { packageFiles: tree.files } : {}), seaAssets: sortByKey(files) };
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
