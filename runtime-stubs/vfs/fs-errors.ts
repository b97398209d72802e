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
  return fsError('ENOENT', syscall, abs, missingNote(tree, rel));
}

/** The same sentence for a package required by name from tree folder `fromRel`, when it was installed there. */
export function packageNotEmbedded(tree: Tree, request: string, fromRel: string): string | undefined {
  if (!packageExistedAtBuild(request, fromRel, tree.existedAtBuild)) return undefined;
  return `package ${request}, required from ${fromRel || 'the app'}, is not in the executable; add it with include (or external) or run seabuild trace`;
}
