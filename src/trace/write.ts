// Where trace writes the include list: seabuild.config.json when the app has one, else the
// "seabuild" key of package.json. A config in TypeScript or JavaScript cannot be edited safely.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ResolvedConfig } from '../config.ts';
import { SeabuildError } from '../errors.ts';
import { writeFileAtomically } from '../fs-atomic.ts';

/** Writes `include` into the app's JSON config; returns the file written. */
export async function writeInclude(config: ResolvedConfig, include: Record<string, string[]>): Promise<string> {
  const code = config.configFiles.find((f) => /\.(ts|mts|cts|js|mjs|cjs)$/.test(f));
  if (code) {
    throw new SeabuildError({
      code: 'TRACE_CONFIG_NOT_JSON',
      message: `cannot edit ${code}: it is code, not JSON`,
      file: code,
      fix: `set include to ${JSON.stringify(include)} in it (or rerun trace with --dry-run to print it)`,
    });
  }
  const jsonConfig = join(config.root, 'seabuild.config.json');
  if (existsSync(jsonConfig)) {
    const value = JSON.parse(readFileSync(jsonConfig, 'utf8'));
    await writeFileAtomically(jsonConfig, `${JSON.stringify({ ...value, include }, null, 2)}\n`);
    return jsonConfig;
  }
  const pkgPath = join(config.root, 'package.json');
  const text = readFileSync(pkgPath, 'utf8');
  const pkg = JSON.parse(text);
  pkg.seabuild = { ...(pkg.seabuild ?? {}), include };
  const indent = /^[ \t]+(?=")/m.exec(text)?.[0] ?? '  ';
  await writeFileAtomically(pkgPath, `${JSON.stringify(pkg, null, indent)}\n`);
  return pkgPath;
}
