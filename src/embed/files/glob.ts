// The include globs of the config: `*` (within a path segment), `**` (any depth), `?`; a pattern
// without wildcards also matches everything below it when it names a folder.

/** A matcher for paths relative to a package folder (POSIX). */
export function globMatcher(patterns: string[]): (relPath: string) => boolean {
  const regexes = patterns.map((p) => globToRegExp(p.replace(/^\.\//, '').replace(/\/$/, '')));
  return (relPath) => regexes.some((r) => r.test(relPath));
}

function globToRegExp(glob: string): RegExp {
  let source = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*' && glob[i + 1] === '*') {
      const slash = glob[i + 2] === '/';
      source += slash ? '(?:.*/)?' : '.*';
      i += slash ? 2 : 1;
    } else if (c === '*') source += '[^/]*';
    else if (c === '?') source += '[^/]';
    else source += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}(?:/.*)?$`);
}
