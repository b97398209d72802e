/** Where stages report progress; passed down as a value, never a global. */
export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  debug(message: string): void;
}

/** A logger writing to stderr; `debug` lines only when asked for. */
export function createLogger(options: { quiet?: boolean; debug?: boolean } = {}): Logger {
  return {
    info: (message) => { if (!options.quiet) process.stderr.write(`${message}\n`); },
    warn: (message) => process.stderr.write(`${message}\n`),
    debug: (message) => { if (options.debug) process.stderr.write(`debug: ${message}\n`); },
  };
}

/** A logger that drops everything (library callers and tests). */
export const silentLogger: Logger = { info() {}, warn() {}, debug() {} };
