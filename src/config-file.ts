// Loads seabuild.config.{json,ts,mts,cts,js,mjs,cjs} whatever the app's module type. Node decides
// ESM or CommonJS by the extension and package.json "type", so a `seabuild.config.ts` with `import`
// in a "type": "commonjs" project (what `npm init -y` writes) fails to load as it stands. esbuild
// turns any of them into one ES module first (vite and tsup's bundle-require do the same), written
// beside the config so that its bare imports (`seabuild`) resolve from the app's node_modules as
// written; a data: URL cannot resolve bare imports. The temporary file is removed at once.
import { existsSync, readFileSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { randomBytes } from 'node:crypto';
import { SeabuildError } from './errors.ts';

/** Config file names looked for in the app folder, in the order their options apply. */
export const CONFIG_FILE_NAMES = ['seabuild.config.json', 'seabuild.config.ts', 'seabuild.config.mts', 'seabuild.config.cts', 'seabuild.config.js', 'seabuild.config.mjs', 'seabuild.config.cjs'];

/** The config files present in `root`. */
export function configFileCandidates(root: string): string[] {
  return CONFIG_FILE_NAMES.map((name) => join(root, name)).filter((file) => existsSync(file));
}

/** The value a config file gives: its JSON, or its module's default export (`module.exports` of CommonJS). */
export async function loadConfigFile(file: string): Promise<unknown> {
  if (!existsSync(file)) throw new SeabuildError({ code: 'CONFIG_NOT_FOUND', message: 'config file not found', file, fix: 'check the --config path' });
  if (file.endsWith('.json')) return readJsonFile(file);
  const code = await transpileConfig(file);
  const temp = join(dirname(file), `.${basename(file)}.${process.pid}-${randomBytes(4).toString('hex')}.mjs`);
  await writeFile(temp, code).catch((cause: NodeJS.ErrnoException) => {
    throw new SeabuildError({ code: 'CONFIG_LOAD_FAILED', message: `cannot write the compiled config beside it (${cause.code ?? cause.message})`, file, fix: 'make the app folder writable (the build writes its outputs there too), or use seabuild.config.json', cause });
  });
  try {
    const loaded = await import(pathToFileURL(temp).href) as Record<string, unknown>;
    return 'default' in loaded ? loaded.default : loaded;
  } catch (cause) {
    throw new SeabuildError({ code: 'CONFIG_LOAD_FAILED', message: `the config threw while loading: ${describeCause(cause, temp, file)}`, file, fix: 'fix the error in the config file; it must `export default` the options (or assign module.exports)', cause });
  } finally {
    await rm(temp, { force: true });
  }
}

/** JSON, with a parse error naming the file. */
export function readJsonFile(file: string): Record<string, any> {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (cause) {
    throw new SeabuildError({ code: 'CONFIG_INVALID_JSON', message: `invalid JSON: ${(cause as Error).message}`, file, fix: 'fix the JSON syntax', cause });
  }
}

/**
 * One ES module from the config and the relative files it imports; packages stay imports. `require`,
 * `__dirname` and `import.meta.dirname` keep meaning the config's own place, not the temporary file's.
 */
async function transpileConfig(file: string): Promise<string> {
  const esbuild = await import('esbuild');
  const fileUrl = pathToFileURL(file).href;
  try {
    const result = await esbuild.build({
      entryPoints: [file], bundle: true, write: false, format: 'esm', platform: 'node', target: 'node22', packages: 'external', logLevel: 'silent',
      absWorkingDir: dirname(file),
      define: {
        __dirname: JSON.stringify(dirname(file)), __filename: JSON.stringify(file),
        'import.meta.dirname': JSON.stringify(dirname(file)), 'import.meta.filename': JSON.stringify(file), 'import.meta.url': JSON.stringify(fileUrl),
      },
      banner: { js: `import { createRequire as __seabuildCreateRequire } from 'node:module'; const require = __seabuildCreateRequire(${JSON.stringify(fileUrl)});` },
    });
    return result.outputFiles[0]!.text;
  } catch (cause) {
    const first = (cause as { errors?: Array<{ text: string; location?: { file: string; line: number } | null }> }).errors?.[0];
    const where = first?.location ? join(dirname(file), first.location.file) : file;
    throw new SeabuildError({
      code: 'CONFIG_LOAD_FAILED', message: `cannot compile the config: ${first?.text ?? (cause as Error).message}`, file: where, ...(first?.location ? { line: first.location.line } : {}),
      fix: 'fix the syntax at that line', cause,
    });
  }
}

/** The error's first line, and where in the config it was thrown when the stack says so. */
function describeCause(cause: unknown, temp: string, file: string): string {
  const message = cause instanceof Error ? `${cause.name === 'Error' ? '' : `${cause.name}: `}${cause.message}` : String(cause);
  return message.split('\n')[0]!.replaceAll(pathToFileURL(temp).href, relative(process.cwd(), file) || file);
}
