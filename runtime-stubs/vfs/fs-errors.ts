// Errors shaped like the ones node:fs throws (code, errno, syscall, path), so packages that test
// `err.code === 'ENOENT'` behave as they do on disk.
import { packageOf } from './tree.ts';

const descriptions: Record<string, string> = {
  ENOENT: 'no such file or directory',
  EISDIR: 'illegal operation on a directory',
  ENOTDIR: 'not a directory',
  EROFS: 'read-only file system',
  EBADF: 'bad file descriptor',
  EACCES: 'permission denied',
};

/** An fs-style error; `note` is appended to the message after a colon. */
export function fsError(code: string, syscall: string, path: string, note?: string): NodeJS.ErrnoException {
  const error: NodeJS.ErrnoException = new Error(`${code}: ${descriptions[code] ?? code}, ${syscall} '${path}'${note ? `: ${note}` : ''}`);
  error.errno = -((process.getBuiltinModule('node:os').constants.errno as Record<string, number>)[code] ?? 0);
  error.code = code;
  error.syscall = syscall;
  error.path = path;
  return error;
}

/** The sentence every "not in the executable" error carries (issue 7). */
export function notEmbedded(rel: string, what = 'file'): string {
  return `${what} ${rel} of ${packageOf(rel) === 'the app' ? 'the app' : `package ${packageOf(rel)}`} is not in the executable; add it with include or run seabuild trace`;
}

/** ENOENT for a path under the tree's root that the tree does not hold. */
export function missing(syscall: string, abs: string, rel: string): NodeJS.ErrnoException {
  return fsError('ENOENT', syscall, abs, notEmbedded(rel));
}

/** The same sentence for a package required by name. */
export function packageNotEmbedded(request: string, fromRel: string): string {
  return `package ${request}, required from ${fromRel || 'the app'}, is not in the executable; add it with include (or external) or run seabuild trace`;
}
