/** Where stages report progress; passed down as a value, never a global. */
export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  debug(message: string): void;
  /**
   * A stage started; call the returned function when it ends. A terminal logger shows a one-line
   * progress indicator for a stage still running after two seconds. Absent: no progress shown.
   */
  progress?(stage: string): () => void;
}

/** What a terminal logger writes to: process.stderr, or a stand-in in tests. */
export interface LogStream {
  write(text: string): unknown;
  isTTY?: boolean;
}

export interface LoggerOptions {
  quiet?: boolean;
  debug?: boolean;
  /** Default process.stderr. */
  stream?: LogStream;
  /** Where NO_COLOR is read; default process.env. */
  env?: NodeJS.ProcessEnv;
  /** How long a stage runs before its progress line shows; default 2000 ms. */
  progressAfterMs?: number;
}

const PROGRESS_AFTER_MS = 2000;

/**
 * Colour only on a terminal, and never with NO_COLOR set to anything but the empty string
 * (no-color.org): a log file or a CI log viewer gets plain text.
 */
export function colorEnabled(stream: LogStream, env: NodeJS.ProcessEnv): boolean {
  return Boolean(stream.isTTY) && !env.NO_COLOR;
}

/** `seabuild: error:` in red, `seabuild: warning:` in yellow and `fix:` in bold, when `on`. */
export function paint(text: string, on: boolean): string {
  if (!on) return text;
  return text
    .replace(/^seabuild: (error|internal error):/gm, (m) => `\x1b[1;31m${m}\x1b[0m`)
    .replace(/^seabuild: warning:/gm, (m) => `\x1b[1;33m${m}\x1b[0m`)
    .replace(/^( {2})fix:/gm, (_m, indent: string) => `${indent}\x1b[1mfix:\x1b[0m`);
}

/** A logger writing to stderr; `debug` lines only when asked for; colour and progress on a terminal. */
export function createLogger(options: LoggerOptions = {}): Logger {
  const stream = options.stream ?? process.stderr;
  const color = colorEnabled(stream, options.env ?? process.env);
  const progress = stream.isTTY && !options.quiet ? createProgress(stream, options.progressAfterMs ?? PROGRESS_AFTER_MS) : undefined;
  const write = (text: string): void => {
    progress?.clear();
    stream.write(`${paint(text, color)}\n`);
  };
  return {
    info: (message) => { if (!options.quiet) write(message); },
    warn: (message) => write(message),
    debug: (message) => { if (options.debug) write(`debug: ${message}`); },
    ...(progress ? { progress: progress.start } : {}),
  };
}

/**
 * The stages running now; the newest one still running after `afterMs` is shown on one line
 * (`… compressing layers (5 s)`), redrawn each second, erased when it ends or a message is written.
 */
function createProgress(stream: LogStream, afterMs: number): { start(stage: string): () => void; clear(): void } {
  const running: Array<{ stage: string; started: number }> = [];
  let shown = false;
  let timer: NodeJS.Timeout | undefined;
  const clear = (): void => {
    if (shown) stream.write('\r\x1b[2K');
    shown = false;
  };
  let line = '';
  const draw = (): void => {
    const current = running.at(-1);
    const elapsedMs = current ? performance.now() - current.started : 0;
    const next = current && elapsedMs >= afterMs ? `… ${current.stage} (${Math.floor(elapsedMs / 1000)} s)` : '';
    if (shown && next === line) return;
    clear();
    line = next;
    if (!next) return;
    stream.write(next);
    shown = true;
  };
  const schedule = (): void => {
    if (timer || running.length === 0) return;
    // Unref'd: a progress line never keeps the process alive.
    timer = setInterval(draw, 250);
    timer.unref();
  };
  return {
    start(stage) {
      const entry = { stage, started: performance.now() };
      running.push(entry);
      schedule();
      return () => {
        running.splice(running.indexOf(entry), 1);
        draw();
        if (running.length === 0 && timer) { clearInterval(timer); timer = undefined; }
      };
    },
    clear,
  };
}

/** A logger that drops everything (library callers and tests). */
export const silentLogger: Logger = { info() {}, warn() {}, debug() {} };
