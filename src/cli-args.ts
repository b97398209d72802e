// node:util parseArgs with messages a user can act on: Node's own text names the option inside an
// unbalanced quote and suggests `-- "--x"`, and it never says which option was probably meant.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { usageError, type SeabuildError } from './errors.ts';
import { closestName } from './closest-name.ts';

export interface ParsedArgs {
  values: Record<string, unknown>;
  positionals: string[];
}

/** Parses `args` strictly; a bad flag is a usage error naming it, with a "did you mean" and `helpCommand`. */
export function parseCommandLine(args: string[], options: NonNullable<ParseArgsConfig['options']>, helpCommand: string): ParsedArgs {
  try {
    const parsed = parseArgs({ args, options, allowPositionals: true, strict: true });
    return { values: parsed.values as Record<string, unknown>, positionals: parsed.positionals };
  } catch (error) {
    throw argumentError(error as NodeJS.ErrnoException, args, options, helpCommand);
  }
}

function argumentError(error: NodeJS.ErrnoException, args: string[], options: NonNullable<ParseArgsConfig['options']>, helpCommand: string): SeabuildError {
  const fix = `run ${helpCommand} for the options`;
  // Node names the option as '--name' (or '-x'); the unknown one is also found in args, for older wordings.
  const named = /'(--?[^'\s=<]+)/.exec(error.message)?.[1] ?? args.find((arg) => arg.startsWith('-') && !isKnown(arg, options));
  const flag = named?.replace(/^-+/, '') ?? '';
  if (error.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && named) {
    const flags = Object.keys(options).map((name) => `--${name}`);
    const near = closestName(named.startsWith('--') ? named : `-${named}`, flags);
    return usageError(`unknown option ${named}${near ? ` (did you mean ${near}?)` : ''}`, fix);
  }
  if (error.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && named) {
    const spec = options[flag] ?? Object.entries(options).find(([, o]) => o.short === flag)?.[1];
    return usageError(spec?.type === 'boolean' ? `option ${named} takes no value` : `option ${named} needs a value: ${named} VALUE`, fix);
  }
  if (error.code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') return usageError(`unexpected argument${named ? ` ${named}` : ''}`, fix);
  return usageError((error.message.split('\n')[0] ?? 'invalid arguments').replace(/\. To specify a positional.*$/, ''), fix);
}

function isKnown(arg: string, options: NonNullable<ParseArgsConfig['options']>): boolean {
  if (arg === '-' || arg === '--') return true;
  const name = arg.replace(/^-+/, '').split('=')[0]!;
  return arg.startsWith('--') ? name in options : Object.values(options).some((o) => o.short === name);
}
