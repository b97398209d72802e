// Errors shaped like the ones node:fs throws (code, errno, syscall, path), so packages that test
// `err.code === 'ENOENT'` behave as they do on disk.
import { packageOf, type Tree } from './tree.ts';
import { packageExistedAtBuild } from './left-out.ts';

const descriptions: Record<string, string> = {
  ENOENT: 'no such file or directory',
  EISDIR: 'illegal operation on a directory',
  ENOTDIR: 'not a directory',
  EROFS: 'read-only file system',
  EBADF: 'bad file descriptor',
  EACCES: 'permission denied',
};

/**
 * An fs-style error. Its message, with `note` after a colon, is built when something first reads it
 * (or the stack, whose first line is the message): express.static asks for `public/ping` before
 * every `GET /ping`, and the answer is a 404 that never looks at either (issue 24).
 */
export function fsError(code: string, syscall: string, path: string, note?: () => string | undefined): NodeJS.ErrnoException {
  return new TreeFsError(code, syscall, path, note);
}

let errnos: Record<string, number> | undefined;

/**
 * The class behind fsError, named Error as Node's own fs errors are. The message is a getter on the
 * prototype, not a property defined on each error: defining one per miss cost 4 % of an Express
 * server's CPU (V8 turns the object's shape into a dictionary).
 */
class TreeFsError extends Error {
  readonly #code: string;
  readonly #build: (() => string | undefined) | undefined;
  errno: number;
  code: string;
  syscall: string;
  path: string;
  constructor(code: string, syscall: string, path: string, note: (() => string | undefined) | undefined) {
    super();
    this.#code = code;
    this.#build = note;
    this.errno = -((errnos ??= process.getBuiltinModule('node:os').constants.errno as Record<string, number>)[code] ?? 0);
    this.code = code;
    this.syscall = syscall;
    this.path = path;
  }
  override get message(): string {
    const note = this.#build?.();
    const value = `${this.#code}: ${descriptions[this.#code] ?? this.#code}, ${this.syscall} '${this.path}'${note ? `: ${note}` : ''}`;
    settleMessage(this, value);
    return value;
  }
  override set message(value: string) {
    settleMessage(this, value);
  }
}
Object.defineProperty(TreeFsError, 'name', { value: 'Error' });

function settleMessage(error: Error, value: string): void {
  Object.defineProperty(error, 'message', { value, writable: true, enumerable: false, configurable: true });
}

/** Makes `error.message` (an error Node made) computed by `build` at its first read (or write), then a plain value. */
export function lazyMessage(error: Error, build: () => string): void {
  Object.defineProperty(error, 'message', {
    get(this: Error) { const value = build(); settleMessage(this, value); return value; },
    set(this: Error, value: string) { settleMessage(this, value); },
    enumerable: false,
    configurable: true,
  });
}

/**
 * Runs a callback or promise form's operation so that the errors it makes carry no stack frames:
 * Node's own errors of those forms have none (they come back from the thread pool), and capturing
 * the app's deep stack on every miss was 7 % of an Express server's CPU (docs/BENCHMARKS.md).
 */
export function withoutFrames<T>(op: () => T): T {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return op();
  } finally {
    Error.stackTraceLimit = limit;
  }
}

/** The sentence every "not in the executable" error carries (issue 7). */
export function notEmbedded(rel: string, what = 'file'): string {
  return `${what} ${rel} of ${packageOf(rel) === 'the app' ? 'the app' : `package ${packageOf(rel)}`} is not in the executable; add it with include or run seabuild trace`;
}

/**
 * The sentence for `rel` when it is true: a path of a package that the build machine had (left-out.ts),
 * or any path of the app's own (the build lists no app folder, so it cannot tell). A package probing
 * for a file it does not ship gets Node's plain error.
 */
export function missingNote(tree: Tree, rel: string, what = 'file'): string | undefined {
  return packageOf(rel) === 'the app' || tree.existedAtBuild(rel) ? notEmbedded(rel, what) : undefined;
}

/** ENOENT for a path under the tree's root that the tree does not hold. */
export function missing(tree: Tree, syscall: string, abs: string, rel: string): NodeJS.ErrnoException {
  return fsError('ENOENT', syscall, abs, () => missingNote(tree, rel));
}

/** The same sentence for a package required by name from tree folder `fromRel`, when it was installed there. */
export function packageNotEmbedded(tree: Tree, request: string, fromRel: string): string | undefined {
  if (!packageExistedAtBuild(request, fromRel, tree.existedAtBuild)) return undefined;
  return `package ${request}, required from ${fromRel || 'the app'}, is not in the executable; add it with include (or external) or run seabuild trace`;
}
