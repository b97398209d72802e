// Runs `migrate` as a real process. `argv` is the command before the migrate arguments: the
// script below in development, or `[executable, 'migrate']` for a built app.
import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { EmbeddedMigration } from '../../runtime-stubs/migrate/types.ts';

/** What one process did. */
export interface ProcessResult {
  exitCode: number | null;
  stdout: string;
  stderr: string;
}

/** The script that runs migrateCommand in a child process (see migrate-main.ts). */
export const MIGRATE_MAIN = fileURLToPath(new URL('./migrate-main.ts', import.meta.url));

/** Writes `migrations` to `jsonPath` and returns the argv prefix that runs migrate over them. */
export async function migrateScriptArgv(migrations: EmbeddedMigration[], jsonPath: string): Promise<string[]> {
  await writeFile(jsonPath, JSON.stringify(migrations));
  return [process.execPath, MIGRATE_MAIN, jsonPath];
}

/** Runs `[...argv, ...args]` with `env` added to this process's environment. */
export function runProcess(argv: string[], args: string[], env: NodeJS.ProcessEnv): Promise<ProcessResult> {
  const [command, ...rest] = argv;
  const child = spawn(command!, [...rest, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => { stdout += chunk; });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => { stderr += chunk; });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (exitCode) => resolve({ exitCode, stdout, stderr }));
  });
}

/** Starts `count` identical processes at once and waits for all of them. */
export function runConcurrently(count: number, argv: string[], args: string[], env: NodeJS.ProcessEnv): Promise<ProcessResult[]> {
  return Promise.all(Array.from({ length: count }, () => runProcess(argv, args, env)));
}
