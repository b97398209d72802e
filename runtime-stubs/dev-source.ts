// Development: the app runs from source under plain Node (`node src/main.ts serve`), so the runtime
// reads package.json, the config and the asset folder from disk, with the same digested URLs as a build.
// The bundler replaces this module with an empty stub in executables (see src/bundle/stubs.ts).
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { scanAssetDir } from './assets/scan.ts';
import type { RuntimeSource } from './build-info.ts';
import type { EmbeddedMigration } from './migrate/types.ts';

/** The migrations of a source tree, read and checked exactly as the build does. */
export async function loadDevMigrations(dir: string): Promise<EmbeddedMigration[]> {
  const { collectMigrations } = await import('../src/embed/migrations.ts');
  return (await collectMigrations(dir)).migrations;
}

/** Build info for an app running from source: found from the entry script upwards. */
export function loadDevSource(entryScript: string): RuntimeSource {
  const root = findPackageRoot(dirname(resolve(entryScript)));
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const config = { ...readJson(join(root, 'seabuild.config.json')), ...(pkg.seabuild ?? {}) };
  const assetPrefix: string = config.assetPrefix ?? '/assets/';
  // `false` turns a folder off, as in the build's config.
  const assetsDir = config.assets === false ? undefined : resolve(root, config.assets ?? 'public');
  const assets = assetsDir && existsSync(assetsDir) ? scanAssetDir(assetsDir, assetPrefix) : [];
  const migrationsDir = config.migrations === false ? undefined : resolve(root, config.migrations ?? 'migrations');
  return {
    info: {
      name: pkg.name, version: pkg.version ?? '0.0.0', assetPrefix, assets, defaultPort: config.port ?? 3000,
      // In development the key is the folder itself; migrate reads it with the build's own parser.
      ...(migrationsDir && existsSync(migrationsDir) ? { migrationsKey: migrationsDir } : {}),
    },
    read: (key) => readFileSync(key),
    isExecutable: false,
  };
}

function findPackageRoot(start: string): string {
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`no package.json above ${start}`);
  }
}

function readJson(path: string): Record<string, unknown> {
  return existsSync(path) ? JSON.parse(readFileSync(path, 'utf8')) : {};
}
