// The article's crash: the app ran `mogrify`, which the image did not have, and found out on the
// first upload. A FROM-scratch image holds the executable and its libraries only, so every
// child_process call whose program is a literal gets a warning naming the file and line.
import type { Warning } from '../errors.ts';
import type { LexedSource } from './js-lexer.ts';

/** Calls whose first argument is a whole command line run by /bin/sh (the program is its first word). */
const shellCalls = new Set(['exec', 'execSync', 'execaCommand', 'execaCommandSync', '$']);
const calls = /(?<![\w$])(exec|execSync|execFile|execFileSync|spawn|spawnSync|execa|execaSync|execaCommand|execaCommandSync)\s*\(\s*(?=['"`])|(?<![\w$])\$(?:\([^)]*\))?\s*(?=`)/g;
const spawners = /\b(child_process|execa|cross-spawn|zx)\b/;

/** Warnings for the literal shell-outs of one module; `packageName` is set for code from node_modules. */
export function findShellOuts(lexed: LexedSource, file: string, packageName?: string): Warning[] {
  if (!spawners.test(lexed.source)) return [];
  const warnings: Warning[] = [];
  for (const m of lexed.masked.matchAll(calls)) {
    const literalStart = m.index + m[0].length;
    const literal = lexed.strings.find((s) => s.start === literalStart);
    if (!literal) continue; // a template with substitutions: the program is computed
    const call = m[1] ?? '$';
    // A command line (exec, or spawn with shell: true) names its program first; names hold no spaces.
    const program = literal.value.trim().split(/\s+/)[0];
    if (!program) continue;
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
