// Replaces ../migrate-command.ts in executables of apps that have no migrations.
import type { MigrateInvocation } from '../migrate-command.ts';

export async function runMigrate(_args: string[], { source, stderr }: MigrateInvocation): Promise<number> {
  stderr.write(`${source.info.name}: this executable has no migrations (configure "migrations" in the seabuild config)\n`);
  return 2;
}
