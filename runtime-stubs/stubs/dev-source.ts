// Executables never run from source: this replaces ../dev-source.ts inside every executable.
import type { RuntimeSource } from '../build-info.ts';
import type { EmbeddedMigration } from '../migrate/types.ts';

export function loadDevSource(): RuntimeSource {
  throw new Error('seabuild: this executable has no embedded build info (was it built with seabuild build?)');
}

export async function loadDevMigrations(): Promise<EmbeddedMigration[]> {
  return [];
}
