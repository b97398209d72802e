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

/** Lexes `source`; never throws (unterminated constructs run to the end). */
export function lexSource(source: string): LexedSource {
  const out = source.split('');
  const strings: StringLiteral[] = [];
  const blank = (from: number, to: number): void => { for (let i = from; i < to; i++) if (out[i] !== '\n') out[i] = ' '; };
  // Stack of brace depths at which a template's `${` was opened.
  const templates: number[] = [];
  let depth = 0;
  let i = 0;
  const n = source.length;
  const regexAllowed = (): boolean => {
    let j = i - 1;
    while (j >= 0 && /\s/.test(out[j]!)) j--;
    if (j < 0) return true;
    if (regexAfterChars.has(out[j]!)) return true;
    const word = /[\w$]+$/.exec(out.slice(Math.max(0, j - 12), j + 1).join(''))?.[0];
    return word !== undefined && regexAfterWords.has(word);
  };
  const template = (): void => {
    // i is just past a backtick or a `}` closing a substitution.
    const start = i;
    while (i < n && source[i] !== '`') {
      if (source[i] === '\\') { i += 2; continue; }
      if (source[i] === '$' && source[i + 1] === '{') { blank(start, i); i += 2; templates.push(depth); depth++; return; }
      i++;
    }
    blank(start, i);
    i++;
  };
  while (i < n) {
    const c = source[i]!;
    if (c === '/' && source[i + 1] === '/') { const end = source.indexOf('\n', i); blank(i, end < 0 ? n : end); i = end < 0 ? n : end; continue; }
    if (c === '/' && source[i + 1] === '*') { const end = source.indexOf('*/', i + 2); const stop = end < 0 ? n : end + 2; blank(i, stop); i = stop; continue; }
    if (c === '"' || c === "'") {
      const start = i++;
      let value = '';
      while (i < n && source[i] !== c && source[i] !== '\n') {
        if (source[i] === '\\') { value += unescape(source, i); i += escapeLength(source, i); continue; }
        value += source[i++];
      }
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
    masked: out.join(''),
    strings,
    lineOf(offset) {
      let lo = 0;
      let hi = lineStarts.length - 1;
      while (lo < hi) { const mid = (lo + hi + 1) >> 1; if (lineStarts[mid]! <= offset) lo = mid; else hi = mid - 1; }
      return lo + 1;
    },
  };
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
