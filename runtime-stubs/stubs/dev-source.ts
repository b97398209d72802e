// Executables never run from source: this replaces ../dev-source.ts inside every executable. The one
// way to run the bundle outside its executable is SEABUILD_EMBED_DIR: a folder holding the SEA assets
// as files named by key (used by the start-up benchmark and for debugging a bundle under plain node).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RuntimeSource } from '../build-info.ts';
import type { EmbeddedMigration } from '../migrate/types.ts';

export function loadDevSource(): RuntimeSource {
  const dir = process.env.SEABUILD_EMBED_DIR;
  if (!dir) throw new Error('seabuild: this bundle runs inside its executable (or with SEABUILD_EMBED_DIR set to its embedded files)');
  const read = (key: string): Buffer => readFileSync(join(dir, key));
  return { info: JSON.parse(read('seabuild/build.json').toString('utf8')), read, isExecutable: true };
}

export async function loadDevMigrations(): Promise<EmbeddedMigration[]> {
  return [];
}
