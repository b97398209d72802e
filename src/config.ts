// Merges package.json's "seabuild" key, seabuild.config.{json,ts}, flags and the environment into one
// frozen ResolvedConfig (like tsup's NormalizedOptions): defaults and validation happen once, here.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve, relative } from 'node:path';
import { execFileSync } from 'node:child_process';
import { SeabuildError } from './errors.ts';
import { configFileCandidates, loadConfigFile, readJsonFile } from './config-file.ts';
import { checkNoKeyInTwoFiles, optionEntries, unknownKeysError } from './config-keys.ts';
import { optionTable, type ImageOptions, type SeabuildOptions } from './options.ts';
import { normalizeReference } from './image-reference.ts';
import { hostPlatform as hostPlatformOf, parsePlatforms, platformNamed, type TargetPlatform } from './platform/platforms.ts';

/** The SBOM formats seabuild writes (SPDX 2.3 JSON, CycloneDX 1.6 JSON). */
export type SbomFormat = 'spdx' | 'cyclonedx';

/** The one configuration value every stage receives. Paths are absolute. */
export interface ResolvedConfig {
  root: string;
  packageName: string;
  version: string;
  /** The files the options came from, for messages. */
  configFiles: string[];
  entry: string;
  name: string;
  outDir: string;
  assetsDir?: string;
  assetPrefix: string;
  migrationsDir?: string;
  nodeBinary: string;
  /** The platforms to build for, in the order given (the first is the build result's main one). */
  platforms: TargetPlatform[];
  /** The build machine's platform (one of the known ones, by identity). */
  hostPlatform: TargetPlatform;
  /** Platform name → the node binary given for it (`nodes`). */
  platformNodes: Record<string, string>;
  /** The build environment's PATH, where qemu-user is looked for. */
  toolPath: string[];
  /** Set per platform by the build: the name of its outputs (executable, image archive, report); default `name`. */
  artifactName?: string;
  port: number;
  minify: boolean;
  /** Default arguments of the app (`args`), as written. */
  args?: string[];
  /** false: tree mode; true: bundled; undefined: tree mode for a framework's build output (src/trace-files/output-folder.ts). */
  bundle?: boolean;
  /** V8's code cache in the blob: true or false as configured; undefined (the default) means on for the build machine's platform, off for others. */
  codeCache: boolean | undefined;
  /** Embed the bundle's source map and map stack traces with it. */
  sourceMaps: boolean;
  external: string[];
  /** Package name (or '.') → globs of files to embed in the tree. */
  include: Record<string, string[]>;
  /** Package name (or '.') → globs of files not to carry although the build found them. */
  exclude: Record<string, string[]>;
  image?: Required<Omit<ImageOptions, 'env'>> & { env: Record<string, string>; reference: string };
  /** The smoke run: undefined when off (--no-verify). */
  verify?: { boot: boolean; env: Record<string, string>; timeoutMs: number; args: string[]; timeoutSet: boolean; required: boolean };
  /** `cli`: every argument goes to the app; `service`: built-in commands first, serve by default. */
  mode: 'service' | 'cli';
  healthcheckPath?: string;
  context?: string;
  /** Where stripped node binaries are cached between builds. */
  cacheDir: string;
  /** Seconds since the epoch: SOURCE_DATE_EPOCH, else the HEAD commit's time, else 0 (like ko). */
  sourceDateEpoch: number;
  /** The HEAD commit; `<sha>-dirty` when tracked files were changed (git describe --dirty). */
  commit?: string;
  /** package.json `repository` URL, when set. */
  repository?: string;
  push?: { insecure: boolean; credentials?: { username: string; password: string } };
  /** --load: the engine to load the image into after the build (auto: docker when its daemon answers, else podman). */
  load?: 'auto' | 'docker' | 'podman';
  /** SBOM formats to write beside the image (empty: none). */
  sbom: SbomFormat[];
  /** Where to write the pushed references (`--image-refs`). */
  imageRefs?: string;
  /** The app's own commands (`commands`): name → package.json script name or command line; planned by src/commands. */
  commands: Record<string, string>;
}

export interface ResolveInput {
  cwd: string;
  /** Options from command-line flags (already typed by the CLI). */
  flags?: SeabuildOptions;
  /** An explicit config file (--config). */
  configFile?: string;
  env?: NodeJS.ProcessEnv;
}

/** Reads, validates and completes the configuration for the app in `cwd`. */
export async function resolveConfig(input: ResolveInput): Promise<ResolvedConfig> {
  const root = resolve(input.cwd);
  const env = input.env ?? {};
  const pkgPath = join(root, 'package.json');
  if (!existsSync(pkgPath)) {
    throw new SeabuildError({ code: 'NO_PACKAGE_JSON', message: 'no package.json in the app folder', file: pkgPath, fix: 'run seabuild in the folder of your app\'s package.json (or create one with npm init)' });
  }
  const pkg = readJsonFile(pkgPath);
  const layers: Array<{ file: string; options: SeabuildOptions }> = [];
  if (pkg.seabuild !== undefined) layers.push({ file: pkgPath, options: validateOptions(pkg.seabuild, `${pkgPath}`, 'seabuild.') });
  for (const file of input.configFile ? [resolve(root, input.configFile)] : configFileCandidates(root)) {
    layers.push({ file, options: validateOptions(await loadConfigFile(file), file, '') });
  }
  checkNoKeyInTwoFiles(layers, (file) => (file === pkgPath ? 'seabuild.' : ''));
  // build() options are checked like a file: `{ outdir: 'x' }` is refused, not silently ignored.
  if (input.flags) layers.push({ file: '(command line)', options: validateOptions(input.flags, '(build options)', '') });
  const options = mergeOptions(layers.map((l) => l.options));
  return Object.freeze(completeConfig(root, pkg, pkgPath, options, layers.map((l) => l.file), env));
}

/**
 * Rejects unknown keys and wrong types, naming the key and the file (esbuild's option errors do the
 * same). Every unknown key is reported at once, each with the known key it most likely meant.
 */
export function validateOptions(value: unknown, file: string, keyPrefix: string): SeabuildOptions {
  if (!isPlainObject(value)) throw typeError(`${keyPrefix || '(config)'}`, 'an object', value, file);
  const unknown: string[] = [];
  for (const [key, v] of optionEntries(value)) {
    if (!Object.hasOwn(optionTable, key)) unknown.push(key);
    else checkOption(key, v, file, keyPrefix);
  }
  if (unknown.length > 0) throw unknownKeysError(unknown, file, keyPrefix);
  return value as SeabuildOptions;
}

function checkOption(key: string, value: unknown, file: string, keyPrefix: string): void {
  const spec = optionTable[key]!;
  const shown = keyPrefix + key;
  const ok = {
    string: typeof value === 'string' && value !== '',
    number: typeof value === 'number' && Number.isFinite(value),
    boolean: typeof value === 'boolean',
    'string|false': (typeof value === 'string' && value !== '') || value === false,
    'string[]': Array.isArray(value) && value.every((x) => typeof x === 'string'),
    'number[]': Array.isArray(value) && value.every((x) => Number.isInteger(x)),
    record: isPlainObject(value) && Object.values(value).every((x) => typeof x === 'string'),
    globs: isPlainObject(value) && Object.values(value).every((x) => Array.isArray(x) && x.every((g) => typeof g === 'string' && g !== '')),
    compression: value === 'gzip' || value === 'zstd',
    path: typeof value === 'string' && value.startsWith('/'),
  }[spec.type];
  if (!ok) throw typeError(shown, describeType(spec.type), value, file);
}

function describeType(type: string): string {
  return ({ 'string|false': 'a path or false', 'string[]': 'an array of strings', 'number[]': 'an array of integers', record: 'an object of strings', globs: 'an object of package name → array of globs', compression: '"gzip" or "zstd"', path: 'a URL path starting with /' } as Record<string, string>)[type] ?? `a ${type}`;
}

function typeError(key: string, expected: string, value: unknown, file: string): SeabuildError {
  return new SeabuildError({ code: 'CONFIG_INVALID_TYPE', message: `option "${key}" must be ${expected}, got ${JSON.stringify(value)}`, file, fix: `set "${key}" to ${expected}` });
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function mergeOptions(layers: SeabuildOptions[]): SeabuildOptions {
  const merged: SeabuildOptions = {};
  for (const layer of layers) {
    const { image, verify, ...rest } = layer;
    Object.assign(merged, rest);
    if (image === false) merged.image = false;
    else if (image) merged.image = { ...(merged.image || {}), ...image };
    if (typeof verify === 'boolean') merged.verify = verify;
    else if (verify) merged.verify = { ...(typeof merged.verify === 'object' ? merged.verify : {}), ...verify };
  }
  return merged;
}

/**
 * What to do about an entry that does not exist. An app with a build script is most often a framework's
 * app whose output (the entry: .next/standalone/server.js, .output/server/index.mjs, build/index.js) is
 * not built yet: name that build, with the command it runs.
 */
function missingEntryFix(pkg: Record<string, any>): string {
  const build = pkg.scripts?.build;
  if (typeof build === 'string' && build.trim() !== '') return `run the app's build first: npm run build (${build}), then build again; or check the "entry" option`;
  return 'check "main" in package.json or the "entry" option';
}

function completeConfig(root: string, pkg: Record<string, any>, pkgPath: string, o: SeabuildOptions, configFiles: string[], env: NodeJS.ProcessEnv): ResolvedConfig {
  const packageName = typeof pkg.name === 'string' && pkg.name ? pkg.name : undefined;
  if (!packageName) throw new SeabuildError({ code: 'PACKAGE_NAME_MISSING', message: 'package.json has no "name"', file: pkgPath, fix: 'add a "name" (it names the executable and the image)' });
  const version = typeof pkg.version === 'string' ? pkg.version : '0.0.0';
  const bins = binsOf(pkg);
  // A package with no main but one bin is that program (a CLI package as npm publishes it).
  const entryOption = o.entry ?? (typeof pkg.main === 'string' ? pkg.main : bins.length === 1 ? bins[0] : undefined);
  if (!entryOption) {
    throw new SeabuildError({
      code: 'ENTRY_MISSING',
      message: bins.length > 1 ? `no entry: package.json has no "main" and ${bins.length} "bin" entries` : 'no entry: package.json has no "main" and no "entry" option is set',
      file: pkgPath,
      fix: bins.length > 1 ? `pass the program to build: --entry ${bins.join(' or --entry ')}` : 'add "main": "src/main.ts" to package.json, or pass --entry',
    });
  }
  const entry = resolve(root, entryOption);
  if (!existsSync(entry) || !statSync(entry).isFile()) {
    throw new SeabuildError({ code: 'ENTRY_NOT_FOUND', message: `entry file not found: ${relative(root, entry)}`, file: entry, fix: missingEntryFix(pkg) });
  }
  const name = o.name ?? packageName.replace(/^@[^/]+\//, '');
  const port = o.port ?? 3000;
  const sourceDateEpoch = parseSourceDateEpoch(env.SOURCE_DATE_EPOCH) ?? gitCommitTime(root) ?? newestOwnFile(root, resolve(root, o.outDir ?? 'dist')) ?? 0;
  const commit = gitCommit(root);
  const imageOptions = o.image === false ? undefined : (o.image ?? {});
  const image = imageOptions && {
    name: imageOptions.name ?? packageName.replace(/^@/, ''),
    tag: imageOptions.tag ?? version,
    appPath: imageOptions.appPath ?? '/app',
    env: imageOptions.env ?? {},
    ports: imageOptions.ports ?? [port],
    compression: imageOptions.compression ?? 'gzip',
    tags: imageOptions.tags && imageOptions.tags.length > 0 ? imageOptions.tags : [imageOptions.tag ?? version],
    layout: imageLayout(imageOptions.layout, configFiles.at(-1) ?? pkgPath),
  };
  if (image) image.tag = image.tags[0]!;
  for (const tag of image?.tags ?? []) imageReferenceOf(image!.name, tag, configFiles.at(-1) ?? pkgPath);
  return {
    root, packageName, version, configFiles, entry, name,
    outDir: resolve(root, o.outDir ?? 'dist'),
    ...optionalDir(root, o.assets, 'public', 'assets', configFiles),
    assetPrefix: o.assetPrefix ?? '/assets/',
    ...optionalDir(root, o.migrations, 'migrations', 'migrations', configFiles),
    nodeBinary: resolve(root, o.node ?? process.execPath),
    ...platformsOf(root, o, layerFileOf(configFiles, pkgPath)),
    toolPath: (env.PATH ?? '/usr/local/bin:/usr/bin:/bin').split(':').filter((dir) => dir.startsWith('/')),
    ...(o.bundle !== undefined ? { bundle: o.bundle } : {}),
    ...(o.args && o.args.length > 0 ? { args: o.args } : {}),
    port, minify: o.minify ?? false, codeCache: o.codeCache, sourceMaps: o.sourceMaps ?? true, external: o.external ?? [], include: o.include ?? {}, exclude: o.exclude ?? {},
    ...(image ? { image: { ...image, reference: imageReferenceOf(image.name, image.tag, configFiles.at(-1) ?? pkgPath) } } : {}),
    ...(repositoryUrl(pkg) ? { repository: repositoryUrl(pkg)! } : {}),
    // An explicit verify (true, or its settings) must run on every platform: no emulator fails the build.
    ...(o.verify === false ? {} : { verify: { boot: true, env: {}, timeoutMs: 20_000, args: [], ...(typeof o.verify === 'object' ? o.verify : {}), timeoutSet: typeof o.verify === 'object' && o.verify.timeoutMs !== undefined, required: o.verify !== undefined } }),
    mode: (o.cli ?? bins.some((bin) => resolve(root, bin) === entry)) ? 'cli' : 'service',
    ...(o.healthcheckPath ? { healthcheckPath: o.healthcheckPath } : {}),
    ...(o.context ? { context: resolve(root, o.context) } : {}),
    ...(o.push ? { push: { insecure: o.insecureRegistry ?? false, ...registryCredentials(env) } } : {}),
    sbom: sbomFormats(o.sbom, configFiles.at(-1) ?? pkgPath),
    ...(o.load !== undefined ? { load: loadEngine(o.load, image !== undefined, configFiles.at(-1) ?? pkgPath) } : {}),
    ...(o.imageRefs ? { imageRefs: resolve(root, o.imageRefs) } : {}),
    commands: o.commands ?? {},
    cacheDir: env.SEABUILD_CACHE_DIR ?? join(env.XDG_CACHE_HOME ?? join(env.HOME ?? '/tmp', '.cache'), 'seabuild'),
    sourceDateEpoch,
    ...(commit ? { commit } : {}),
  };
}

function imageLayout(option: string | undefined, file: string): 'executable' | 'split' {
  if (option === undefined || option === 'executable' || option === 'split') return option ?? 'executable';
  throw new SeabuildError({ code: 'CONFIG_INVALID_TYPE', message: `option "image.layout" must be "executable" or "split", got "${option}"`, file, fix: 'set "image.layout" to "executable" (default) or "split"' });
}

/** `"spdx,cyclonedx"` → both; `"none"` → none; anything else names the option and the file. */
function sbomFormats(option: string | undefined, file: string): SbomFormat[] {
  if (option === undefined) return ['spdx', 'cyclonedx'];
  if (option === 'none') return [];
  const formats = option.split(',').map((part) => part.trim());
  const bad = formats.find((format) => format !== 'spdx' && format !== 'cyclonedx');
  if (bad !== undefined || formats.length === 0) {
    throw new SeabuildError({ code: 'CONFIG_INVALID_SBOM', message: `option "sbom" must be spdx, cyclonedx, both comma-separated, or none; got "${option}"`, file, fix: 'set "sbom" to "spdx,cyclonedx" (the default), "spdx", "cyclonedx" or "none"' });
  }
  return [...new Set(formats as SbomFormat[])];
}

function loadEngine(option: string, hasImage: boolean, file: string): 'auto' | 'docker' | 'podman' {
  if (option !== 'auto' && option !== 'docker' && option !== 'podman') {
    throw new SeabuildError({ code: 'CONFIG_INVALID_TYPE', message: `option "load" must be "auto", "docker" or "podman", got "${option}"`, file, fix: 'use --load (docker when its daemon answers, else podman), --load=docker or --load=podman' });
  }
  if (!hasImage) throw new SeabuildError({ code: 'LOAD_NO_IMAGE', message: '--load loads the image, and this build makes none (image: false / --no-image)', file, fix: 'leave out --no-image, or --load' });
  return option;
}

/** The file of the last layer (the one that most likely set an option); none for the command line. */
function layerFileOf(configFiles: string[], pkgPath: string): string | undefined {
  const last = configFiles.at(-1) ?? pkgPath;
  return last === '(command line)' ? undefined : last;
}

/** `platforms` and `nodes`: known names only, the host's platform by default. */
function platformsOf(root: string, o: SeabuildOptions, file: string | undefined): Pick<ResolvedConfig, 'platforms' | 'hostPlatform' | 'platformNodes'> {
  const host = hostPlatformOf(process.arch);
  const platforms = o.platforms ? parsePlatforms(o.platforms, file) : [host];
  const platformNodes: Record<string, string> = {};
  for (const [name, path] of Object.entries(o.nodes ?? {})) {
    const platform = platformNamed(name);
    const where = file ? { file } : {};
    if (!platform) throw new SeabuildError({ code: 'PLATFORM_UNKNOWN', message: `unknown platform "${name}" in nodes (--node-for)`, ...where, fix: 'name linux/amd64 or linux/arm64: --node-for linux/arm64=PATH', exitCode: 2 });
    if (platform === host) throw new SeabuildError({ code: 'CONFIG_NODE_FOR_HOST', message: `--node-for ${name} names this machine's platform, whose node is --node`, ...where, fix: `pass it as --node ${path}`, exitCode: 2 });
    platformNodes[platform.name] = resolve(root, path);
  }
  return { platforms, hostPlatform: host, platformNodes };
}

/** package.json's `bin` entries (a string or an object of name → path): an entry among them is a command-line program. */
function binsOf(pkg: Record<string, any>): string[] {
  const bins: unknown[] = typeof pkg.bin === 'string' ? [pkg.bin] : isPlainObject(pkg.bin) ? Object.values(pkg.bin) : [];
  return [...new Set(bins.filter((bin): bin is string => typeof bin === 'string' && bin !== ''))];
}

/** A configured folder must exist; the default folder is used only when present. */
function optionalDir(root: string, option: string | false | undefined, fallback: string, key: 'assets' | 'migrations', files: string[]): Record<string, string> {
  if (option === false) return {};
  const dir = resolve(root, option ?? fallback);
  const exists = existsSync(dir) && statSync(dir).isDirectory();
  if (!exists && option !== undefined) {
    throw new SeabuildError({ code: 'CONFIG_DIR_NOT_FOUND', message: `${key} folder not found: ${option}`, file: files.at(-1) ?? join(root, 'package.json'), fix: `create ${option} or set "${key}" to false` });
  }
  return exists ? { [key === 'assets' ? 'assetsDir' : 'migrationsDir']: dir } : {};
}

/** The full reference (docker.io/name:tag); a bad name is a config error naming the file. */
function imageReferenceOf(name: string, tag: string, file: string): string {
  try {
    return normalizeReference(`${name}:${tag}`);
  } catch (cause) {
    const error = cause as SeabuildError;
    throw new SeabuildError({ code: 'CONFIG_INVALID_IMAGE_NAME', message: error.message, file, fix: error.fix ?? 'set image.name', cause });
  }
}

function registryCredentials(env: NodeJS.ProcessEnv): { credentials?: { username: string; password: string } } {
  const { SEABUILD_REGISTRY_USERNAME: username, SEABUILD_REGISTRY_PASSWORD: password } = env;
  return username && password ? { credentials: { username, password } } : {};
}

/** package.json `repository` as a URL, for the org.opencontainers.image.source label. */
function repositoryUrl(pkg: Record<string, any>): string | undefined {
  const repo = typeof pkg.repository === 'string' ? pkg.repository : pkg.repository?.url;
  return typeof repo === 'string' ? repo.replace(/^git\+/, '') : undefined;
}

function parseSourceDateEpoch(value: string | undefined): number | undefined {
  if (value === undefined || value === '') return undefined;
  if (!/^\d+$/.test(value)) throw new SeabuildError({ code: 'INVALID_SOURCE_DATE_EPOCH', message: `SOURCE_DATE_EPOCH must be whole seconds since 1970, got "${value}"`, fix: 'export SOURCE_DATE_EPOCH=$(git log -1 --format=%ct)', exitCode: 2 });
  return Number(value);
}

function git(root: string, args: string[]): string | undefined {
  try {
    return execFileSync('git', args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim() || undefined;
  } catch {
    return undefined;
  }
}

/**
 * Without a commit (a Docker build context leaves .git out): the newest modification time of the
 * app's own files, in whole seconds. With 1970 for every build, a file served from the executable
 * kept its Last-Modified and size-based ETag across rebuilds, and browsers kept the old one.
 * node_modules is left out: npm stamps every installed file with the same 1985 time.
 */
function newestOwnFile(root: string, outDir: string): number | undefined {
  let newest = 0;
  let budget = 20_000;
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (budget-- <= 0) return;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'node_modules' && !entry.name.startsWith('.') && path !== outDir) walk(path);
      } else if (entry.isFile()) {
        newest = Math.max(newest, Math.floor(statSync(path).mtimeMs / 1000));
      }
    }
  };
  try { walk(root); } catch { return undefined; }
  return newest > 0 ? newest : undefined;
}

function gitCommitTime(root: string): number | undefined {
  const value = git(root, ['log', '-1', '--format=%ct']);
  return value ? Number(value) : undefined;
}

/**
 * HEAD, with `-dirty` when tracked files differ from it (staged or not), as `git describe --dirty`
 * marks it: a build from a modified work tree must not claim to be that commit. Untracked files do
 * not count, as with git describe.
 */
function gitCommit(root: string): string | undefined {
  const head = git(root, ['rev-parse', 'HEAD']);
  if (!head) return undefined;
  try {
    execFileSync('git', ['diff', '--quiet', 'HEAD', '--'], { cwd: root, stdio: 'ignore' });
    return head;
  } catch (error) {
    // Exit 1: there are differences; anything else (no work tree) says nothing about them.
    return (error as { status?: number }).status === 1 ? `${head}-dirty` : head;
  }
}
