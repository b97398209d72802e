// What the build prints about the files of a build output that no import names (issue 22's bad input:
// "carried, and listed in the build output"). They are carried because they lie in the output (chunks
// and static files its framework opens by computed paths); a stray file (a secret, a dump, last
// week's build) is carried too, so the normal output names them: the first few, then how many more.
// --debug lists every one.

/** How many of them the normal output names. */
export const untracedNamed = 10;

/** The lines for `untraced` (paths relative to the app), at most `limit` of them by name. */
export function untracedListing(untraced: string[], limit = untracedNamed): string[] {
  if (untraced.length === 0) return [];
  const count = `${untraced.length} file${untraced.length === 1 ? '' : 's'}`;
  const lines = [`${count} of the build output no import names (chunks and static files its framework opens by computed paths) are carried:`];
  for (const rel of untraced.slice(0, limit)) lines.push(`  ${rel}`);
  if (untraced.length > limit) lines.push(`  and ${untraced.length - limit} more (--debug lists them)`);
  return lines;
}
