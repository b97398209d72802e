// The keys of the option layers (package.json "seabuild", config files, build() options): unknown
// ones reported together with a "did you mean", and the same key set in two files refused.
import { SeabuildError } from './errors.ts';
import { closestName } from './closest-name.ts';
import { optionTable, type SeabuildOptions } from './options.ts';

/** The options as flat keys: `image.tag`, `verify.env`, … (`image: false` and `verify: true` stay whole). */
export function optionEntries(value: Record<string, unknown>): Array<[string, unknown]> {
  // An option given as undefined is not given (build({ entry: process.env.ENTRY })).
  return Object.entries(value).filter(([, v]) => v !== undefined).flatMap(([key, v]): Array<[string, unknown]> => {
    if ((key === 'image' || key === 'verify') && isPlainObject(v)) return Object.entries(v).map(([subKey, sv]) => [`${key}.${subKey}`, sv]);
    if (key === 'image' && v === false) return [];
    return [[key, v]];
  });
}

/** Every unknown key of one file at once, each with the known key it most likely meant. */
export function unknownKeysError(keys: string[], file: string, keyPrefix: string): SeabuildError {
  const described = keys.map((key) => {
    const near = closestName(key, Object.keys(optionTable));
    return `"${keyPrefix}${key}"${near ? ` (did you mean "${keyPrefix}${near}"?)` : ''}`;
  });
  return new SeabuildError({
    code: 'CONFIG_UNKNOWN_KEY',
    message: `unknown option${keys.length > 1 ? 's' : ''} ${described.join(', ')}`,
    file,
    fix: `remove ${keys.length > 1 ? 'them' : 'it'} or use one of: ${Object.keys(optionTable).join(', ')}`,
  });
}

/**
 * The same option in two config files is an error naming both: which one wins would be a rule to
 * remember, and a stale copy in package.json silently losing to seabuild.config.json (or the other
 * way round) is the kind of surprise a release build must not have. Flags and build() options
 * still override files: that is what they are for.
 */
export function checkNoKeyInTwoFiles(layers: ReadonlyArray<{ file: string; options: SeabuildOptions }>, prefixOf: (file: string) => string): void {
  const firstFile = new Map<string, string>();
  for (const { file, options } of layers) {
    for (const [key] of optionEntries(options as Record<string, unknown>)) {
      const earlier = firstFile.get(key);
      if (earlier === undefined) { firstFile.set(key, file); continue; }
      throw new SeabuildError({
        code: 'CONFIG_KEY_CONFLICT',
        message: `option "${key}" is set in both ${earlier} (as "${prefixOf(earlier)}${key}") and ${file} (as "${prefixOf(file)}${key}")`,
        file,
        fix: `keep "${key}" in one of the two files`,
      });
    }
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
