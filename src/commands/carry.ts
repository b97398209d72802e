// What a command loads at run time besides its own code, which no import names: the tool's config
// file, its migration files (read by folder or glob), the folder its data source names. Found from
// the tool's documented defaults and from the command's own arguments that name files of the app.
// Anything else is carried with the `include` option ("." globs).
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';

/** Each tool's default config files and folders (from its documentation), relative to the package folder. */
const toolDefaults: Record<string, string[]> = {
  knex: ['knexfile.js', 'knexfile.cjs', 'knexfile.mjs', 'knexfile.ts', 'migrations', 'seeds'],
  typeorm: ['ormconfig.js', 'ormconfig.json', 'migrations'],
  'node-pg-migrate': ['migrations'],
  'sequelize-cli': ['.sequelizerc', 'config', 'migrations', 'seeders', 'models'],
  'drizzle-kit': ['drizzle.config.js', 'drizzle.config.ts', 'drizzle'],
  '@mikro-orm/cli': ['mikro-orm.config.js', 'mikro-orm.config.ts', 'migrations'],
};
/** A `node FILE` command: the folders the migration libraries read by default (drizzle's migrator reads `drizzle/`). */
const libraryDefaults = ['migrations', 'drizzle', 'seeds', 'seeders'];
/** Tools whose config file names its migrations by a glob relative to it (TypeORM's data source, MikroORM's config). */
const globsBesideConfig = new Set(['typeorm', '@mikro-orm/cli']);

/** Absolute paths of the files `file` (run with `args`) loads at run time; `tool` is the bin's package. */
export function carriedFiles(root: string, tool: string | undefined, args: string[], file: string): string[] {
  const named = namedPaths(args);
  const paths = [...(tool === undefined ? libraryDefaults : (toolDefaults[tool] ?? [])), ...named].map((p) => resolve(root, p)).filter((p) => isInside(root, p) && existsSync(p));
  const files = new Set<string>();
  for (const path of paths) {
    if (statSync(path).isDirectory()) listFiles(path, files);
    else {
      files.add(path);
      // `typeorm migration:run -d dist/data-source.js`: its migrations glob (dist/migrations/*.js) lies beside it.
      if (tool !== undefined && globsBesideConfig.has(tool) && dirname(path) !== root) listFiles(dirname(path), files);
    }
  }
  files.delete(file);
  return [...files].sort();
}

/**
 * Arguments that look like files of the app (`-d dist/data-source.js`, `--knexfile=db/knexfile.js`)
 * and do not exist at build time: the executable cannot carry them (a data source not compiled yet).
 */
export function missingPaths(root: string, args: string[]): string[] {
  return namedPaths(args).filter((arg) => (arg.includes('/') || /\.(c|m)?[jt]s$|\.json$/.test(arg)) && !arg.startsWith('/') && !existsSync(resolve(root, arg)));
}

function namedPaths(args: string[]): string[] {
  return args.flatMap((arg) => (arg.startsWith('-') ? arg.split('=').slice(1) : [arg])).filter((arg) => arg !== '' && !arg.startsWith('-'));
}

function isInside(root: string, path: string): boolean {
  return path.startsWith(root + sep) && !path.slice(root.length).split(sep).includes('node_modules');
}

function listFiles(dir: string, into: Set<string>): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.git')) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) listFiles(path, into);
    else if (entry.isFile() && !/\.(map|d\.[cm]?ts)$/.test(entry.name)) into.add(path);
  }
}
