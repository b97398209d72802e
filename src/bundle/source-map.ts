// The bundle's source map, made for stack traces: esbuild writes it beside the bundle (reading the
// input maps of files that carry `//# sourceMappingURL`, so tsc's `dist/x.js.map` chains through to
// `src/x.ts`), with its sources relative to the output folder. They are rewritten relative to the
// app's root, so a mapped frame reads `src/routes/upload.ts:41:11` on any machine, and no path of
// the build machine (its work folder) ends up inside the executable.
import { readFile, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { SEABUILD_ROOT } from '../package-root.ts';

/** Rewrites the map at `mapPath` for the runtime; returns its path, or undefined when esbuild wrote none. */
export async function finishSourceMap(mapPath: string, root: string): Promise<string | undefined> {
  const text = await readFile(mapPath, 'utf8').catch(() => undefined);
  if (text === undefined) return undefined;
  const map = JSON.parse(text) as { sources: string[]; sourcesContent?: unknown; sourceRoot?: string };
  const outDir = dirname(mapPath);
  map.sources = map.sources.map((source) => {
    // Plugin namespaces (`seabuild-launcher:…`) and esbuild's `<define:…>` are not files.
    if (/^[a-z-]+:/.test(source) || source.startsWith('<')) return source;
    const file = isAbsolute(source) ? source : resolve(outDir, source);
    const path = relative(root, file);
    // seabuild's runtime as the report names it (`seabuild/runtime-stubs/launch.ts`), never the build machine's folder.
    const shown = path.startsWith('..') && !relative(SEABUILD_ROOT, file).startsWith('..') ? join('seabuild', relative(SEABUILD_ROOT, file)) : path;
    return shown.split(sep).join('/');
  });
  delete map.sourcesContent;
  delete map.sourceRoot;
  await writeFile(mapPath, JSON.stringify(map));
  return mapPath;
}
