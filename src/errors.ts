// One error shape for every stage: what went wrong, where, and how to fix it.
// Modelled on esbuild's Message (text + location + notes) and execa's error (command, exit code, output, cause).

/** Data every user-facing failure carries; the CLI prints `message` and `fix`, never a stack (unless --debug). */
export interface SeabuildErrorInit {
  /** Stable machine-readable code, e.g. `ENTRY_NOT_FOUND`; tests assert on it, not on prose. */
  code: string;
  message: string;
  /** The file the user should look at. */
  file?: string;
  /** 1-based line in `file`, when known. */
  line?: number;
  /** One sentence telling the user what to do. */
  fix?: string;
  cause?: unknown;
  /** 2 for command-line usage errors, 1 otherwise. */
  exitCode?: 1 | 2;
}

/** The error type every seabuild stage throws for bad input or a failed tool. */
export class SeabuildError extends Error {
  readonly code: string;
  readonly file: string | undefined;
  readonly line: number | undefined;
  readonly fix: string | undefined;
  readonly exitCode: 1 | 2;

  constructor(init: SeabuildErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = 'SeabuildError';
    this.code = init.code;
    this.file = init.file;
    this.line = init.line;
    this.fix = init.fix;
    this.exitCode = init.exitCode ?? 1;
  }
}

/** A warning a stage returns beside its artifact (never printed by the stage itself). */
export interface Warning {
  code: string;
  message: string;
  file?: string;
  line?: number;
  fix?: string;
}

/** Formats an error for the terminal: `file:line: message` then `  fix: …`. */
export function formatError(error: SeabuildError): string {
  const where = error.file ? `${error.file}${error.line ? `:${error.line}` : ''}: ` : '';
  const fix = error.fix ? `\n  fix: ${error.fix}` : '';
  return `seabuild: error: ${where}${error.message}${fix}`;
}

/** Formats a warning the same way as an error. */
export function formatWarning(warning: Warning): string {
  const where = warning.file ? `${warning.file}${warning.line ? `:${warning.line}` : ''}: ` : '';
  const fix = warning.fix ? `\n  fix: ${warning.fix}` : '';
  return `seabuild: warning: ${where}${warning.message}${fix}`;
}

/** A command-line usage error (exit code 2): what was wrong with the arguments, and what to run instead. */
export function usageError(message: string, fix: string): SeabuildError {
  return new SeabuildError({ code: 'USAGE', message, fix, exitCode: 2 });
}
