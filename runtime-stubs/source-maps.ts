// Stack traces that name the app's own files: `at upload (src/routes/upload.ts:41:11)` instead of
// `bundle.cjs:49013:13`. Node's --enable-source-maps cannot do it for an executable: the SEA's main
// script is compiled before any of its code runs, and Node caches source maps only while compiling
// (measured with Node 24.21: setSourceMapsEnabled(true) and even the SEA config's execArgv leave
// the main script's frames unmapped). So the runtime maps the bundle's frames itself, lazily:
// installing costs one function; the map (a SEA asset) is read and parsed at the first trace that
// is formatted, and V8 formats a trace only when `.stack` is read, so errors whose stack nobody
// reads cost nothing more. Each frame is then one binary search (node:module's SourceMap).
import type { SourceMap, SourceMapping } from 'node:module';

type CallSite = NodeJS.CallSite;

/** Maps the frames of `bundleFile` with the map `readMap` returns; an app that sets its own Error.prepareStackTrace replaces this. */
export function mapStackTraces(readMap: () => string): void {
  let map: SourceMap | null | undefined;
  let bundleFile: string | null | undefined;
  const lookUp = (): SourceMap | null => {
    if (map !== undefined) return map;
    try {
      const { SourceMap } = process.getBuiltinModule('node:module');
      map = new SourceMap(JSON.parse(readMap()));
    } catch {
      map = null; // A trace without mapping beats a crash while formatting one.
    }
    return map;
  };
  const format = (frame: CallSite): string => {
    const text = String(frame);
    if (frame.getFileName() !== bundleFile) return text;
    const line = frame.getLineNumber();
    const column = frame.getColumnNumber();
    const found = (line && column ? lookUp()?.findEntry(line - 1, column - 1) : undefined) as Partial<SourceMapping> | undefined;
    if (!found?.originalSource || found.originalLine === undefined || found.originalColumn === undefined) return text;
    const at = `${bundleFile}:${line}:${column}`;
    const index = text.lastIndexOf(at);
    const mapped = `${found.originalSource}:${found.originalLine + 1}:${found.originalColumn + 1}`;
    return index < 0 ? text : text.slice(0, index) + mapped + text.slice(index + at.length);
  };
  // The bundle's file name as V8 reports it: the frame of this very function.
  Error.prepareStackTrace = (_error, frames) => frames[0]?.getFileName() ?? null;
  bundleFile = new Error().stack as unknown as string | null;
  Error.prepareStackTrace = (error: Error, frames: CallSite[]): string => {
    let header: string;
    try { header = Error.prototype.toString.call(error); } catch { header = '<error>'; }
    return header + frames.map((frame) => `\n    at ${format(frame)}`).join('');
  };
}
