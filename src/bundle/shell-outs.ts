// The article's crash: the app ran `mogrify`, which the image did not have, and found out on the
// first upload. A FROM-scratch image holds the executable and its libraries only, so every
// child_process call whose program is a literal gets a warning naming the file and line.
import type { Warning } from '../errors.ts';
import type { LexedSource } from './js-lexer.ts';

/** Calls whose first argument is a whole command line run by /bin/sh (the program is its first word). */
const shellCalls = new Set(['exec', 'execSync', 'execaCommand', 'execaCommandSync', '$']);
const calls = /(?<![\w$])(exec|execSync|execFile|execFileSync|spawn|spawnSync|execa|execaSync|execaCommand|execaCommandSync)\s*\(\s*(?=['"`])|(?<![\w$])\$(?:\([^)]*\))?\s*(?=`)/g;
const spawners = /\b(child_process|execa|cross-spawn|zx)\b/;

/** The first word of the literal at `start`: a whole string, or the text of a template before its first `${` when a space ends the word. */
function leadingWord(lexed: LexedSource, start: number): string | undefined {
  const literal = lexed.strings.find((s) => s.start === start);
  const text = literal ? literal.value : /^`([^`$]*)\$\{/.exec(lexed.source.slice(start))?.[1];
  if (text === undefined) return undefined;
  const word = /^\s*(\S+)(\s|$)/.exec(text);
  return word && (literal || word[2] !== '') ? word[1] : undefined;
}

/** Warnings for the literal shell-outs of one module; `packageName` is set for code from node_modules. */
export function findShellOuts(lexed: LexedSource, file: string, packageName?: string): Warning[] {
  if (!spawners.test(lexed.source)) return [];
  const warnings: Warning[] = [];
  for (const m of lexed.masked.matchAll(calls)) {
    const literalStart = m.index + m[0].length;
    const call = m[1] ?? '$';
    // A command line (exec, or spawn with shell: true) names its program first; names hold no spaces.
    const program = leadingWord(lexed, literalStart);
    if (!program) continue; // the program itself is computed
    const viaShell = shellCalls.has(call) && call !== '$';
    warnings.push({
      code: packageName ? 'SHELL_OUT_IN_PACKAGE' : 'SHELL_OUT',
      message: `${packageName ? `package ${packageName} runs` : 'runs'} "${program}" (${call})${viaShell ? ' through /bin/sh' : ''}, but the image holds only the executable: it has no ${viaShell ? '/bin/sh and no ' : ''}${program}`,
      file,
      line: lexed.lineOf(m.index),
      fix: packageName
        ? `make sure this code path of ${packageName} is not used in production, or add the program to the image yourself`
        : `do the work in-process (e.g. sharp instead of ImageMagick's ${program === 'mogrify' || program === 'convert' ? program : 'tools'}), or add the program to the image yourself`,
    });
  }
  return warnings;
}
