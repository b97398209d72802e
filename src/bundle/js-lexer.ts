// A small JavaScript lexer, just enough to tell code from strings, comments, template text and
// regular expressions, so that the rewrites and scans of src/bundle/rewrite.ts never touch text
// inside a string (real-require builds `new Function('return import(x)')`) or a comment.

/** A string literal (or a template without substitutions) and where it is. */
export interface StringLiteral {
  value: string;
  /** Offsets of the opening and one past the closing quote. */
  start: number;
  end: number;
}

/** The source with the insides of strings, comments, templates and regexes blanked out (same length, newlines kept). */
export interface LexedSource {
  source: string;
  masked: string;
  strings: StringLiteral[];
  /** 1-based line of an offset. */
  lineOf(offset: number): number;
}

const regexAfterChars = new Set('(,=:[!&|?{};+-*%<>~^'.split(''));
const regexAfterWords = new Set(['return', 'typeof', 'case', 'do', 'else', 'in', 'of', 'new', 'delete', 'void', 'throw', 'instanceof', 'yield', 'await']);

const codeStops = /[/"'`{}]/g;
const templateStops = /[`\\$]/g;
const doubleQuoteStops = /["\\\n]/g;
const singleQuoteStops = /['\\\n]/g;

/** The offset of the next match of the global `stops` at or after `from`, or the source's length. */
function skipTo(stops: RegExp, source: string, from: number): number {
  stops.lastIndex = from;
  return stops.exec(source)?.index ?? source.length;
}

/** Lexes `source`; never throws (unterminated constructs run to the end). */
export function lexSource(source: string): LexedSource {
  // Blanked ranges, in order and disjoint (the scan only blanks behind its cursor); `blanked` marks
  // their offsets for the look-back of `regexAllowed`. Both avoid a string per character.
  const ranges: number[] = [];
  const blanked = new Uint8Array(source.length);
  const strings: StringLiteral[] = [];
  const blank = (from: number, to: number): void => {
    if (to <= from) return;
    ranges.push(from, to);
    blanked.fill(1, from, to);
  };
  // Stack of brace depths at which a template's `${` was opened.
  const templates: number[] = [];
  let depth = 0;
  let i = 0;
  const n = source.length;
  const maskedAt = (j: number): string => (blanked[j] && source[j] !== '\n' ? ' ' : source[j]!);
  const regexAllowed = (): boolean => {
    let j = i - 1;
    while (j >= 0 && /\s/.test(maskedAt(j))) j--;
    if (j < 0) return true;
    if (regexAfterChars.has(maskedAt(j))) return true;
    let word = '';
    for (let k = j; k >= Math.max(0, j - 12) && /[\w$]/.test(maskedAt(k)); k--) word = maskedAt(k) + word;
    return word !== '' && regexAfterWords.has(word);
  };
  const template = (): void => {
    // i is just past a backtick or a `}` closing a substitution.
    const start = i;
    while (i < n) {
      i = skipTo(templateStops, source, i);
      if (i >= n || source[i] === '`') break;
      if (source[i] === '\\') { i += 2; continue; }
      if (source[i + 1] === '{') { blank(start, i); i += 2; templates.push(depth); depth++; return; }
      i++;
    }
    blank(start, i);
    i++;
  };
  while (i < n) {
    // Only these characters start or end anything the lexer tracks; the native regex jumps the rest.
    i = skipTo(codeStops, source, i);
    if (i >= n) break;
    const c = source[i]!;
    if (c === '/' && source[i + 1] === '/') { const end = source.indexOf('\n', i); blank(i, end < 0 ? n : end); i = end < 0 ? n : end; continue; }
    if (c === '/' && source[i + 1] === '*') { const end = source.indexOf('*/', i + 2); const stop = end < 0 ? n : end + 2; blank(i, stop); i = stop; continue; }
    if (c === '"' || c === "'") {
      const start = i++;
      let value = '';
      let run = i;
      const stops = c === '"' ? doubleQuoteStops : singleQuoteStops;
      while (i < n) {
        i = skipTo(stops, source, i);
        if (i >= n || source[i] !== '\\') break;
        value += source.slice(run, i) + unescape(source, i);
        i += escapeLength(source, i);
        run = i;
      }
      value += source.slice(run, i);
      blank(start + 1, i);
      strings.push({ value, start, end: ++i });
      continue;
    }
    if (c === '`') {
      const start = i++;
      const before = templates.length;
      template();
      if (templates.length === before) strings.push({ value: source.slice(start + 1, i - 1), start, end: i });
      continue;
    }
    if (c === '{') { depth++; i++; continue; }
    if (c === '}') {
      depth--;
      if (templates.length > 0 && templates.at(-1) === depth) { templates.pop(); i++; template(); continue; }
      i++;
      continue;
    }
    if (c === '/' && regexAllowed()) {
      const start = i++;
      let inClass = false;
      while (i < n && source[i] !== '\n' && (inClass || source[i] !== '/')) {
        if (source[i] === '\\') i++;
        else if (source[i] === '[') inClass = true;
        else if (source[i] === ']') inClass = false;
        i++;
      }
      blank(start + 1, i);
      i++;
      continue;
    }
    i++;
  }
  const lineStarts = [0];
  for (let k = 0; k < n; k++) if (source[k] === '\n') lineStarts.push(k + 1);
  return {
    source,
    masked: maskRanges(source, ranges),
    strings,
    lineOf(offset) {
      let lo = 0;
      let hi = lineStarts.length - 1;
      while (lo < hi) { const mid = (lo + hi + 1) >> 1; if (lineStarts[mid]! <= offset) lo = mid; else hi = mid - 1; }
      return lo + 1;
    },
  };
}

/** `source` with the characters of each [from, to) range in `ranges` made spaces, newlines kept. */
function maskRanges(source: string, ranges: readonly number[]): string {
  if (ranges.length === 0) return source;
  // UTF-16 code units, one per character of `source` as split('') counts them; filled natively.
  const bytes = Buffer.allocUnsafeSlow(source.length * 2);
  bytes.write(source, 'utf16le');
  const units = new Uint16Array(bytes.buffer, bytes.byteOffset, source.length);
  for (let r = 0; r < ranges.length; r += 2) {
    const from = ranges[r]!;
    const to = ranges[r + 1]!;
    units.fill(0x20, from, to);
    for (let nl = source.indexOf('\n', from); nl >= 0 && nl < to; nl = source.indexOf('\n', nl + 1)) units[nl] = 0x0a;
  }
  return bytes.toString('utf16le');
}

function escapeLength(source: string, at: number): number {
  const next = source[at + 1];
  if (next === 'x') return 4;
  if (next === 'u') return source[at + 2] === '{' ? source.indexOf('}', at) - at + 1 : 6;
  if (next === '\r' && source[at + 2] === '\n') return 3;
  return 2;
}

function unescape(source: string, at: number): string {
  const next = source[at + 1] ?? '';
  const simple: Record<string, string> = { n: '\n', t: '\t', r: '\r', b: '\b', f: '\f', v: '\v', 0: '\0', '\n': '', '\r': '' };
  if (next in simple) return simple[next]!;
  if (next === 'x') return String.fromCharCode(parseInt(source.slice(at + 2, at + 4), 16));
  if (next === 'u') {
    const hex = source[at + 2] === '{' ? source.slice(at + 3, source.indexOf('}', at)) : source.slice(at + 2, at + 6);
    return String.fromCodePoint(parseInt(hex, 16) || 0);
  }
  return next;
}
