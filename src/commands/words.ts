// A package.json script split into words the way sh(1) would split a simple command, or refused:
// an executable has no shell, so a script that needs one (pipes, &&, redirections, variables, globs,
// VAR=value prefixes) cannot become one of its commands as written.

/** The words of a script, or the shell syntax that stops it. */
export type ScriptWords = { words: string[] } | { shell: string };

// Outside quotes these characters mean something to sh: operators, redirections, expansions, globs.
const shellCharacters = new Set(['|', '&', ';', '<', '>', '(', ')', '$', '`', '*', '?', '\n']);
// These only at the start of a word: a comment, the home folder.
const wordStartCharacters = new Set(['#', '~']);

/** Splits `script` into words (quotes and backslashes as sh reads them), or names the first shell syntax found. */
export function splitScript(script: string): ScriptWords {
  const words: string[] = [];
  let word: string | undefined;
  for (let i = 0; i < script.length; i++) {
    const c = script[i]!;
    if (c === ' ' || c === '\t') {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else if (c === "'") {
      const end = script.indexOf("'", i + 1);
      if (end < 0) return { shell: "an unclosed '" };
      word = (word ?? '') + script.slice(i + 1, end);
      i = end;
    } else if (c === '"') {
      let text = '';
      for (i++; i < script.length && script[i] !== '"'; i++) {
        if (script[i] === '$' || script[i] === '`') return { shell: `"${script[i]}" inside double quotes` };
        if (script[i] === '\\' && i + 1 < script.length && '"\\'.includes(script[i + 1]!)) i++;
        text += script[i];
      }
      if (i >= script.length) return { shell: 'an unclosed "' };
      word = (word ?? '') + text;
    } else if (c === '\\' && i + 1 < script.length) {
      word = (word ?? '') + script[++i];
    } else if (shellCharacters.has(c) || (word === undefined && wordStartCharacters.has(c))) {
      const two = script.slice(i, i + 2);
      return { shell: two === '&&' || two === '||' ? two : c === '\n' ? 'a second line' : c };
    } else {
      word = (word ?? '') + c;
    }
  }
  if (word !== undefined) words.push(word);
  // `NODE_ENV=production node x.js`: sh sets a variable for the command.
  const assignment = words.find((w, i) => i === 0 && /^[A-Za-z_][A-Za-z0-9_]*=/.test(w));
  if (assignment) return { shell: `the variable assignment ${assignment.slice(0, assignment.indexOf('=') + 1)}…` };
  return { words };
}
