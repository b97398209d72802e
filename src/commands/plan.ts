// The app's own commands (`./app migrate`, `./app seed`): package.json scripts made into programs the
// executable can run without npm or a shell. `node FILE ARGS` runs FILE; `BIN ARGS` runs the bin file
// of the installed package that provides BIN (knex, typeorm, node-pg-migrate, sequelize-cli). Each
// file becomes a script bundled on its own (src/bundle/entries.ts), so its packages are inside.
import { existsSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { SeabuildError, type ErrorCode } from '../errors.ts';
import { splitScript } from './words.ts';
import { carriedFiles } from './carry.ts';

/** One command of the executable. */
export interface CommandPlan {
  name: string;
  /** The script as written, e.g. `knex migrate:latest`. */
  script: string;
  /** Where it was written, for messages and `help`: `scripts.migrate`, `seabuild.commands.seed`. */
  origin: string;
  /** The JavaScript file run as the main module (absolute). */
  file: string;
  /** The script's arguments; the user's follow them (`./app migrate ARGS` is `npm run migrate -- ARGS`). */
  args: string[];
  /**
   * The installed package whose bin `file` is, when the script names a bin. The bin runs from its
   * package carried whole, as node runs it (`esm`: an ES module, through Node's loader): tools find
   * their own files by path (sequelize-cli reads its helpers/ folder, knex requires itself).
   */
  bin?: { name: string; packageName: string; esm: boolean };
  /** Files it loads at run time (config, migrations): scripts are bundled on their own, the rest carried as data. */
  carry: string[];
  /**
   * Packages carried whole: a bin's own package (knex's CLI requires the knex it finds from the working
   * directory, by a computed path) and the database drivers the app depends on, which the tool requires by name.
   */
  packages: string[];
  /** The script runs the app's own entry (`node ENTRY ARGS`): `./app NAME` is `./app serve ARGS`, with nothing else to carry. */
  main?: boolean;
}

/** package.json scripts that `./app migrate` runs, the first one present (documented in the README). */
export const migrateScripts = ['migrate', 'db:migrate', 'migrate:deploy', 'migration:run'] as const;

/** Database drivers that migration tools require by a name they compute from their config (`client: 'pg'`). */
const databaseDrivers = ['pg', 'pg-native', 'pg-query-stream', 'mysql', 'mysql2', 'sqlite3', 'better-sqlite3', '@vscode/sqlite3', 'tedious', 'mssql', 'oracledb', 'mariadb', '@libsql/client'];

/** Packages of the app a tool's CLI resolves from the working directory (sequelize-cli: "Unable to resolve sequelize package"). */
const toolCompanions: Record<string, string[]> = { 'sequelize-cli': ['sequelize'], '@mikro-orm/cli': ['@mikro-orm/core', '@mikro-orm/migrations'] };

/** Words the runtime answers itself: an app's command cannot take them. */
const reservedNames = new Set(['serve', 'version', '--version', 'help', 'assets', 'healthcheck', 'selftest', 'load-addons']);
/** Programs that run a file as node does (tsx and ts-node compile TypeScript; the bundle does that already). */
const nodeLike = new Set(['node', 'tsx', 'ts-node']);

/** Plans every command: `commands` (name → script name or command line), then a migrate script of package.json. */
export function planCommands(root: string, commands: Record<string, string> = {}): CommandPlan[] {
  const pkgPath = join(root, 'package.json');
  const pkg = JSON.parse(readFileSync(pkgPath, 'utf8')) as { scripts?: Record<string, unknown> };
  const scripts = Object.fromEntries(Object.entries(pkg.scripts ?? {}).filter((e): e is [string, string] => typeof e[1] === 'string'));
  const wanted: Array<{ name: string; script: string; origin: string }> = [];
  for (const [name, value] of Object.entries(commands)) {
    if (reservedNames.has(name)) {
      throw new SeabuildError({ code: 'COMMAND_NAME_RESERVED', message: `the command name "${name}" is the runtime's own`, file: pkgPath, fix: `name it otherwise in "commands" (reserved: ${[...reservedNames].join(', ')})` });
    }
    wanted.push(value in scripts ? { name, script: scripts[value]!, origin: `scripts.${value}` } : { name, script: value, origin: `commands.${name}` });
  }
  const migrate = migrateScripts.find((name) => name in scripts);
  if (!('migrate' in commands) && migrate) wanted.push({ name: 'migrate', script: scripts[migrate]!, origin: `scripts.${migrate}` });
  return wanted.map((w) => planCommand(root, pkgPath, scripts, w));
}

function planCommand(root: string, pkgPath: string, scripts: Record<string, string>, wanted: { name: string; script: string; origin: string }): CommandPlan {
  let { script, origin } = wanted;
  let extra: string[] = [];
  // `npm run other -- ARGS` names another script: follow it (a few levels, not a loop).
  for (let depth = 0; ; depth++) {
    const words = wordsOf(script, origin, pkgPath);
    const [first, ...rest] = words;
    const run = first === 'npm' && (rest[0] === 'run' || rest[0] === 'run-script') ? rest.slice(1) : undefined;
    if (!run || depth > 4) return programOf(root, pkgPath, wanted.name, script, origin, [...(first === 'npx' ? rest : words), ...extra]);
    const [target, ...after] = run;
    if (target === undefined || !(target in scripts)) throw commandError('COMMAND_SCRIPT_NOT_FOUND', `${origin} runs "npm run ${target ?? ''}", and package.json has no such script`, pkgPath, 'name a script that exists, or write the program itself: "node FILE ARGS" or "BIN ARGS"');
    extra = [...(after[0] === '--' ? after.slice(1) : after), ...extra];
    script = scripts[target]!;
    origin = `scripts.${target}`;
  }
}

function wordsOf(script: string, origin: string, pkgPath: string): string[] {
  const split = splitScript(script.trim());
  if ('shell' in split) {
    throw commandError('COMMAND_NEEDS_SHELL', `${origin} ("${script}") uses the shell (${split.shell}); an executable has no shell to run it`, pkgPath,
      'write the command as one program and its arguments, "node FILE ARGS" or "BIN ARGS" (a bin of an installed package); put several steps or variables into a script of their own (node scripts/migrate.js) and name it in "seabuild": { "commands": { "NAME": "node scripts/migrate.js" } }');
  }
  if (split.words.length === 0) throw commandError('COMMAND_EMPTY', `${origin} is empty`, pkgPath, 'write the command as "node FILE ARGS" or "BIN ARGS"');
  return split.words;
}

function programOf(root: string, pkgPath: string, name: string, script: string, origin: string, words: string[]): CommandPlan {
  const [program, ...args] = words as [string, ...string[]];
  if (nodeLike.has(program)) {
    const [fileArg, ...rest] = args;
    if (fileArg === undefined || fileArg.startsWith('-')) {
      throw commandError('COMMAND_NODE_OPTIONS', `${origin} ("${script}") passes options to ${program}; the executable's command runs a file, without options for node`, pkgPath,
        `write it as "${program} FILE ARGS": move --require/--import into the file itself, and set NODE_OPTIONS at run time if needed`);
    }
    const file = scriptFile(resolve(root, fileArg));
    if (!file) throw commandError('COMMAND_FILE_NOT_FOUND', `${origin} runs ${fileArg}, which does not exist`, pkgPath, `create ${fileArg} (or build it before seabuild), or fix the path in ${origin}`);
    return { name, script, origin, file, args: rest, carry: carriedFiles(root, undefined, rest, file), packages: [] };
  }
  if (program === 'prisma') {
    throw commandError('COMMAND_NEEDS_ENGINE', `${origin} runs prisma ("${script}"): Prisma's migrate needs its schema engine, a separate Rust binary that prisma downloads at run time and no npm package ships`, pkgPath,
      'run prisma migrate deploy as a release step from an image that has the Prisma CLI and its engine, or turn the migrations into SQL files (prisma/migrations/*/migration.sql) in a folder of NNNN_name.sql files for seabuild\'s own ./app migrate; then name another migrate command with "commands" or remove the script');
  }
  const link = join(root, 'node_modules', '.bin', program);
  if (!existsSync(link)) {
    throw commandError('COMMAND_BIN_NOT_FOUND', `${origin} runs "${program}", which is no bin of an installed package (no node_modules/.bin/${program})`, pkgPath,
      `install the package that provides ${program} as a dependency (npm install PACKAGE) before seabuild, or write the command as "node FILE ARGS"`);
  }
  const file = realpathSync(link);
  if (!isJavaScript(file)) {
    throw commandError('COMMAND_BIN_NOT_NODE', `${origin} runs "${program}", whose bin ${relative(root, file)} is not a Node.js script`, pkgPath, 'only JavaScript bins can run inside the executable: call the package\'s JavaScript API from a script and run "node FILE"');
  }
  const packageName = packageNameOf(file);
  const packages = [packageName, ...appPackagesFor(packageName, readFileSync(pkgPath, 'utf8'))];
  return { name, script, origin, file, args, bin: { name: program, packageName, esm: isEsModule(file) }, carry: carriedFiles(root, packageName, args, file), packages };
}

/** Node's main-module lookup: the file, then with an extension, then the folder's index. */
function scriptFile(path: string): string | undefined {
  const candidates = [path, ...['.js', '.cjs', '.mjs', '.ts', '.cts', '.mts'].map((ext) => path + ext), join(path, 'index.js'), join(path, 'index.ts')];
  return candidates.find((candidate) => existsSync(candidate) && statSync(candidate).isFile());
}

/** The app's dependencies a tool loads by name: its database drivers, and what the tool resolves from the app's folder. */
function appPackagesFor(tool: string, manifest: string): string[] {
  const { dependencies = {}, optionalDependencies = {} } = JSON.parse(manifest) as Record<string, Record<string, string> | undefined>;
  return [...(toolCompanions[tool] ?? []), ...databaseDrivers].filter((name) => name in dependencies || name in optionalDependencies);
}

/** What node would load `file` as: .mjs, or .js in a package of "type": "module". */
function isEsModule(file: string): boolean {
  if (/\.mjs$/.test(file)) return true;
  if (/\.cjs$/.test(file)) return false;
  for (let dir = dirname(file); dir !== dirname(dir); dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) return JSON.parse(readFileSync(manifest, 'utf8')).type === 'module';
  }
  return false;
}

function isJavaScript(file: string): boolean {
  if (/\.(c|m)?js$/.test(file)) return true;
  const head = readFileSync(file, { encoding: 'utf8' }).slice(0, 100);
  return /^#!.*\bnode\b/.test(head);
}

function packageNameOf(file: string): string {
  for (let dir = dirname(file); dir !== dirname(dir); dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (!existsSync(manifest)) continue;
    const name = JSON.parse(readFileSync(manifest, 'utf8')).name;
    if (typeof name === 'string') return name;
  }
  return '';
}

function commandError(code: ErrorCode, message: string, file: string, fix: string): SeabuildError {
  return new SeabuildError({ code, message, file, fix });
}
