// Stack traces that name the app's own files: `at upload (src/routes/upload.ts:41:11)` instead of
// `bundle.cjs:49013:13`. Node's --enable-source-maps cannot do it for an executable: the SEA's main
// script is compiled before any of its code runs, and Node caches source maps only while compiling
// (measured with Node 24.21: setSourceMapsEnabled(true) and even the SEA config's execArgv leave
// the main script's frames unmapped). So the runtime maps the bundle's frames itself, lazily:
// installing costs one function; the map (a SEA asset) is read at the first trace that is
// formatted, and V8 formats a trace only when `.stack` is read, so errors whose stack nobody reads
// cost nothing more. node:module's SourceMap decodes every mapping up front (680 ms for the 4.9 MB
// map of a 10.8 MB bundle, measured): this decoder reads the mappings only up to the line asked for.

type CallSite = NodeJS.CallSite;
interface RawMap { sources: string[]; mappings: string }

/** Maps the frames of the bundle with the map `readMap` returns; an app that sets its own Error.prepareStackTrace replaces this. */
export function mapStackTraces(readMap: () => string): void {
  let map: LineMap | null | undefined;
  const lookUp = (): LineMap | null => {
    if (map === undefined) {
      try { map = new LineMap(JSON.parse(readMap())); } catch { map = null; } // A trace without mapping beats a crash while formatting one.
    }
    return map;
  };
  // The bundle's file name as V8 reports it: the frame of this very function.
  Error.prepareStackTrace = (_error, frames) => frames[0]?.getFileName() ?? null;
  const bundleFile = new Error().stack as unknown as string | null;
  const format = (frame: CallSite): string => {
    const text = String(frame);
    const line = frame.getLineNumber();
    const column = frame.getColumnNumber();
    if (frame.getFileName() !== bundleFile || !line || !column) return text;
    const found = lookUp()?.find(line - 1, column - 1);
    const at = `${bundleFile}:${line}:${column}`;
    const index = text.lastIndexOf(at);
    return !found || index < 0 ? text : text.slice(0, index) + found + text.slice(index + at.length);
  };
  Error.prepareStackTrace = (error: Error, frames: CallSite[]): string => {
    let header: string;
    try { header = Error.prototype.toString.call(error); } catch { header = '<error>'; }
    return header + frames.map((frame) => `\n    at ${format(frame)}`).join('');
  };
}

const BASE64 = new Int8Array(128).fill(-1);
for (const [i, c] of [...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'].entries()) BASE64[c.charCodeAt(0)] = i;

/**
 * Source map v3 `mappings`, decoded one generated line at a time. Source index, original line and
 * column are deltas over the whole string, so the state at the start of each line is kept as the
 * lines are passed (once, forward); a lookup then decodes only its own line.
 */
export class LineMap {
  private readonly starts: number[] = [0];
  private readonly states: number[] = [0, 0, 0];
  private readonly raw: RawMap;
  constructor(raw: RawMap) { this.raw = raw; }

  /** `source:line:column` (1-based) of the segment at or before the 0-based line and column; undefined when unmapped. */
  find(line: number, column: number): string | undefined {
    const { mappings, sources } = this.raw;
    if (this.starts.length <= line) this.passTo(line);
    if (line >= this.starts.length) return undefined;
    let pos = this.starts[line]!;
    let [source, oLine, oColumn] = this.states.slice(line * 3, line * 3 + 3) as [number, number, number];
    let generated = 0;
    let best: string | undefined;
    while (pos < mappings.length && mappings[pos] !== ';') {
      const segment: number[] = [];
      pos = readSegment(mappings, pos, segment);
      generated += segment[0]!;
      if (generated > column) break;
      if (segment.length < 4) { best = undefined; continue; } // from here on unmapped
      source += segment[1]!; oLine += segment[2]!; oColumn += segment[3]!;
      best = `${sources[source]}:${oLine + 1}:${oColumn + 1}`;
    }
    return best;
  }

  /** Passes the lines up to `line`, recording where each starts and the state there: one tight loop, no allocation. */
  private passTo(line: number): void {
    const { mappings } = this.raw;
    const { starts, states } = this;
    let pos = starts.at(-1)!;
    let [source, oLine, oColumn] = states.slice(-3) as [number, number, number];
    let field = 0;
    let value = 0;
    let shift = 0;
    for (; pos < mappings.length && starts.length <= line; pos++) {
      const c = mappings.charCodeAt(pos);
      if (c === 44 /* , */ || c === 59 /* ; */) {
        field = 0;
        if (c === 59) { starts.push(pos + 1); states.push(source, oLine, oColumn); }
        continue;
      }
      const digit = BASE64[c] ?? 0;
      value += (digit & 31) << shift;
      if (digit & 32) { shift += 5; continue; }
      const delta = value & 1 ? -(value >>> 1) : value >>> 1;
      if (field === 1) source += delta;
      else if (field === 2) oLine += delta;
      else if (field === 3) oColumn += delta;
      field++;
      value = 0;
      shift = 0;
    }
  }
}

/** Reads one segment's VLQ numbers into `out`; returns the position after it (at `,`, `;` or the end). */
function readSegment(text: string, pos: number, out: number[]): number {
  let value = 0;
  let shift = 0;
  for (; pos < text.length; pos++) {
    const c = text.charCodeAt(pos);
    if (c === 44 /* , */) return pos + 1;
    if (c === 59 /* ; */) return pos;
    const digit = BASE64[c] ?? -1;
    value += (digit & 31) << shift;
    if (digit & 32) { shift += 5; continue; }
    out.push(value & 1 ? -(value >>> 1) : value >>> 1);
    value = 0;
    shift = 0;
  }
  return pos;
}
