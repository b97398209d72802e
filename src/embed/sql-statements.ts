// A small PostgreSQL lexer that only finds where top-level statements begin and end, so that the
// build can check migration files before they reach a server (see migrations.ts for why).
// It follows psql's own splitter (src/fe_utils/psqlscan.l): quotes, E'' strings, quoted
// identifiers, dollar quotes, nested /* */ comments, and BEGIN/CASE … END depth so that the
// semicolons inside `CREATE FUNCTION … BEGIN ATOMIC … END` do not end the statement.

/** One top-level statement of a SQL file. */
export interface SqlStatement {
  /** Lower-cased leading words (at most two), e.g. `['create', 'index']`. */
  words: string[];
  /** 1-based line of the statement's first word. */
  line: number;
}

const identifierStart = /[A-Za-z_\u0080-\uffff]/;
const identifierPart = /[A-Za-z0-9_$\u0080-\uffff]/;
const dollarTag = /^\$([A-Za-z_\u0080-\uffff][A-Za-z0-9_\u0080-\uffff]*)?\$/;

/** Splits `sql` into its top-level statements, skipping empty ones (only blanks, comments or `;`). */
export function splitSqlStatements(sql: string): SqlStatement[] {
  const statements: SqlStatement[] = [];
  let current: SqlStatement | undefined;
  let wordCount = 0;
  let beginDepth = 0;
  let i = 0;
  const lineAt = (offset: number) => countNewlines(sql, 0, offset) + 1;
  while (i < sql.length) {
    const c = sql[i]!;
    const next = sql[i + 1];
    if (c === '-' && next === '-') {
      i = skipUntil(sql, i, '\n');
    } else if (c === '/' && next === '*') {
      i = skipBlockComment(sql, i);
    } else if (c === ';') {
      if (beginDepth === 0) { current = undefined; wordCount = 0; }
      i++;
    } else if (/\s/.test(c)) {
      i++;
    } else {
      if (!current) {
        current = { words: [], line: lineAt(i) };
        statements.push(current);
      }
      if (c === "'") {
        i = skipQuoted(sql, i, "'", false);
      } else if (c === '"') {
        i = skipQuoted(sql, i, '"', false);
      } else if (c === '$' && dollarTag.test(sql.slice(i, i + 64))) {
        const tag = dollarTag.exec(sql.slice(i, i + 64))![0];
        const end = sql.indexOf(tag, i + tag.length);
        i = end < 0 ? sql.length : end + tag.length;
      } else if (identifierStart.test(c)) {
        const start = i;
        while (i < sql.length && identifierPart.test(sql[i]!)) i++;
        const word = sql.slice(start, i).toLowerCase();
        if (word === 'e' && sql[i] === "'") { i = skipQuoted(sql, i, "'", true); continue; }
        wordCount++;
        if (current.words.length < 2) current.words.push(word);
        if ((word === 'begin' || word === 'case') && wordCount > 1) beginDepth++;
        else if (word === 'end' && beginDepth > 0) beginDepth--;
      } else {
        i++;
      }
    }
  }
  return statements;
}

/** Counts `\n` in `text` between two offsets. */
export function countNewlines(text: string, from: number, to: number): number {
  let count = 0;
  for (let i = text.indexOf('\n', from); i >= 0 && i < to; i = text.indexOf('\n', i + 1)) count++;
  return count;
}

function skipUntil(sql: string, from: number, terminator: string): number {
  const end = sql.indexOf(terminator, from);
  return end < 0 ? sql.length : end + terminator.length;
}

// PostgreSQL block comments nest (unlike the SQL standard's and C's).
function skipBlockComment(sql: string, from: number): number {
  let depth = 0;
  let i = from;
  while (i < sql.length) {
    if (sql.startsWith('/*', i)) { depth++; i += 2; }
    else if (sql.startsWith('*/', i)) { depth--; i += 2; if (depth === 0) return i; }
    else i++;
  }
  return i;
}

// A doubled quote stands for itself; in E'' strings a backslash also escapes the next character.
function skipQuoted(sql: string, from: number, quote: string, backslashEscapes: boolean): number {
  let i = from + 1;
  while (i < sql.length) {
    const c = sql[i];
    if (backslashEscapes && c === '\\') { i += 2; continue; }
    if (c === quote) {
      if (sql[i + 1] === quote) { i += 2; continue; }
      return i + 1;
    }
    i++;
  }
  return i;
}
