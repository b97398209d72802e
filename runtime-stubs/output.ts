// The lines the runtime's own commands print (version, help, assets, healthcheck, migrate).

let stdoutGuarded = false;

/**
 * A line on stdout. A reader that left early (`./app assets --json | head -c 100`, a closed pipe) is
 * not a failure of the command: its EPIPE is ignored and the command ends with its own code, where
 * Node would die of the unhandled stream error with a stack trace.
 */
export function out(line: string): void {
  ignoreClosedStdout();
  process.stdout.write(`${line}\n`);
}

export function err(line: string): void {
  process.stderr.write(`${line}\n`);
}

/** For commands that write to process.stdout themselves (migrate's runner). */
export function ignoreClosedStdout(): void {
  if (stdoutGuarded) return;
  stdoutGuarded = true;
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
  });
}
