// Which lines of the bundle are package code, for runtime-stubs/vfs/deprecations.ts: Node leaves out
// some deprecation warnings when the caller's file lies under node_modules, and in one bundle no
// file does. esbuild starts each module's code with a comment naming its input (`// node_modules/x/a.js`,
// when not minified); the lines from such a comment to the next one are that module's.

/** 1-based lines where the bundle switches between app and package code, app first; [] when it has no markers. */
export function packageLines(code: string, inputs: Iterable<string>): number[] {
  const known = new Set(inputs);
  const toggles: number[] = [];
  let inPackage = false;
  let line = 1;
  let counted = 0;
  for (const marker of code.matchAll(/^\/\/ (.+)$/gm)) {
    if (!known.has(marker[1]!)) continue;
    for (let at = code.indexOf('\n', counted); at !== -1 && at < marker.index; at = code.indexOf('\n', at + 1)) line += 1;
    counted = marker.index;
    const isPackage = /(^|\/)node_modules\//.test(marker[1]!);
    if (isPackage !== inPackage) {
      toggles.push(line);
      inPackage = isPackage;
    }
  }
  return toggles;
}

/** The function the runtime calls to get them, appended to the bundle: after all of its code, it moves no line. */
export function packageLinesFunction(lines: number[]): string {
  return `\nfunction __seabuild_package_lines() { return ${JSON.stringify(lines)}; }\n`;
}
