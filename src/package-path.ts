// Where a path sits in node_modules: the bundle stage records each package's version by it, the
// report groups the bundle's inputs by it. A pure function of the path, shared so both agree.

/** The innermost `node_modules/<name>` of a path (`@scope/name` included): its name, folder and where the rest starts. */
export function lastPackageDir(path: string): { name: string; dir: string; end: number } | undefined {
  let found: { name: string; dir: string; end: number } | undefined;
  // The trailing slash is a lookahead: `a/node_modules/b` must not eat the `/` before `node_modules/c`.
  for (const match of path.matchAll(/(?:^|\/)node_modules\/((?:@[^/]+\/)?[^/]+)(?=\/)/g)) {
    const end = match.index + match[0].length;
    found = { name: match[1]!, dir: path.slice(0, end), end: end + 1 };
  }
  return found;
}
