// The command line: parse, call the library, print. Nothing else lives here.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { relative } from 'node:path';
import { build } from './build.ts';
import { optionTable, type SeabuildOptions } from './options.ts';
import { SeabuildError, formatError, formatWarning, type Warning, usageError } from './errors.ts';
import { createLogger } from './log.ts';
import type { StageTiming } from './timings.ts';
import { formatBuildSummary, readReport, runReportCommand } from './report/index.ts';
import { SEABUILD_VERSION as seabuildVersion } from './package-root.ts';


const usage = `Usage: seabuild <command> [options]

Commands:
  build        bundle the app into one executable (and its image)
  report       print a size report, or compare two (seabuild report --help)
  resolve -f FILE|DIR
               build and push each seabuild://PATH app of Kubernetes YAML; print it with digests (seabuild resolve --help)
  trace        run the app under node and add the package files it opens to "include" (seabuild trace --help)
  verify IMAGE.tar
               smoke-run an image archive's executable inside its own files (version, selftest)
  help         show this text
  version      print seabuild's version (also --version)

Build options (each also a key of package.json "seabuild" or seabuild.config.{json,ts}):
${Object.values(optionTable).map((o) => `  --${o.flag.padEnd(18)} ${o.help}`).join('\n')}
  --no-assets        embed no assets        --no-migrations    embed no migrations
  --no-image         build only the executable
  --no-bundle        tree mode: carry the app's files as they are, run them with node's loaders
  --no-verify        skip the smoke run inside the built rootfs
  --no-verify-boot   smoke-run without booting the service (version, native addons, selftest only)
  --compare FILE     compare the size with this report (default: the previous dist/<name>.report.json)

General options:
  --config FILE      config file (default: seabuild.config.{json,ts} if present)
  --cwd DIR          the app folder (default: current folder)
  --timings          print the wall time of each build stage
  --quiet            print only warnings and errors
  --debug            print debug output and stack traces; keep the work folder

Environment: SOURCE_DATE_EPOCH (build time; default: the HEAD commit's time),
SEABUILD_CACHE_DIR (stripped node binaries, compressed layer blocks; default: ~/.cache/seabuild).`;

const typeOf = (t: string): 'string' | 'boolean' => (t === 'boolean' ? 'boolean' : 'string');
const multiple = (t: string): boolean => t === 'string[]' || t === 'number[]' || t === 'record' || t === 'globs';

const parseOptions: ParseArgsConfig['options'] = {
  ...Object.fromEntries(Object.values(optionTable).map((o) => [o.flag, { type: typeOf(o.type), multiple: multiple(o.type) }])),
  'no-assets': { type: 'boolean' }, 'no-migrations': { type: 'boolean' }, 'no-image': { type: 'boolean' }, 'no-verify': { type: 'boolean' }, 'no-verify-boot': { type: 'boolean' }, 'no-bundle': { type: 'boolean' },
  config: { type: 'string' }, compare: { type: 'string' }, cwd: { type: 'string' }, quiet: { type: 'boolean' }, timings: { type: 'boolean' }, debug: { type: 'boolean' }, help: { type: 'boolean', short: 'h' },
};

/** A usage error that points at this command's help. */
function buildUsageError(message: string): SeabuildError {
  return usageError(message, 'run seabuild help for the options');
}

/** Turns parsed flags into options, converting types as the option table says. */
function flagsToOptions(values: Record<string, unknown>): SeabuildOptions {
  const options: Record<string, unknown> = {};
  const image: Record<string, unknown> = {};
  const verify: Record<string, unknown> = {};
  for (const [key, spec] of Object.entries(optionTable)) {
    const raw = values[spec.flag];
    if (raw === undefined) continue;
    let value: unknown = raw;
    if (spec.type === 'number') value = toNumber(spec.flag, raw as string);
    if (spec.type === 'number[]') value = (raw as string[]).map((v) => toNumber(spec.flag, v));
    if (spec.type === 'record') value = Object.fromEntries((raw as string[]).map((kv) => splitKeyValue(spec.flag, kv)));
    if (spec.type === 'globs') value = groupKeyValues(spec.flag, raw as string[]);
    if (spec.type === 'compression' && raw !== 'gzip' && raw !== 'zstd') throw buildUsageError(`--${spec.flag} must be gzip or zstd, got "${raw}"`);
    if (key.startsWith('image.')) image[key.slice(6)] = value;
    else if (key.startsWith('verify.')) verify[key.slice(7)] = value;
    else options[key] = value;
  }
  if (values['no-assets']) options.assets = false;
  if (values['no-migrations']) options.migrations = false;
  if (values['no-verify-boot']) verify.boot = false;
  if (values['no-verify']) options.verify = false;
  else if (Object.keys(verify).length > 0) options.verify = verify;
  if (values['no-bundle']) options.bundle = false;
  if (values['no-image']) options.image = false;
  else if (Object.keys(image).length > 0) options.image = image;
  return options as SeabuildOptions;
}

function toNumber(flag: string, raw: string): number {
  const n = Number(raw);
  if (raw === '' || !Number.isFinite(n)) throw buildUsageError(`--${flag} must be a number, got "${raw}"`);
  return n;
}

/** `PKG=GLOB` flags, repeated, into `{ PKG: [GLOB, …] }`. */
function groupKeyValues(flag: string, raw: string[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [key, value] of raw.map((kv) => splitKeyValue(flag, kv))) (out[key] ??= []).push(value);
  return out;
}

function splitKeyValue(flag: string, kv: string): [string, string] {
  const at = kv.indexOf('=');
  if (at <= 0) throw buildUsageError(`--${flag} takes KEY=VALUE, got "${kv}"`);
  return [kv.slice(0, at), kv.slice(at + 1)];
}

/**
 * The app's own warnings in full; shell-outs inside packages as one line per package (sharp alone has
 * four, in build-from-source paths it never takes at run time), with the first place named.
 */
function formatBuildWarnings(warnings: Warning[]): string[] {
  const inPackages = new Map<string, Warning[]>();
  const lines: string[] = [];
  for (const warning of warnings) {
    const pkg = warning.code === 'SHELL_OUT_IN_PACKAGE' ? /package (\S+) runs/.exec(warning.message)?.[1] : undefined;
    if (pkg) inPackages.set(pkg, [...(inPackages.get(pkg) ?? []), warning]);
    else lines.push(formatWarning(warning));
  }
  for (const [pkg, found] of inPackages) {
    const programs = [...new Set(found.map((w) => /runs "([^"]+)"/.exec(w.message)?.[1]))].join(', ');
    const first = found[0]!;
    lines.push(`seabuild: warning: package ${pkg} can run ${programs}, which the image does not have (${found.length} place${found.length > 1 ? 's' : ''}, first ${first.file}:${first.line}); fine if those code paths are not used in production`);
  }
  return lines;
}

async function runBuild(values: Record<string, unknown>): Promise<number> {
  const logger = createLogger({ quiet: Boolean(values.quiet), debug: Boolean(values.debug) });
  const started = performance.now();
  // Read first: a bad --compare path fails before a build, not after it.
  const compareWith = values.compare ? await readReport(values.compare as string) : undefined;
  const result = await build({
    ...flagsToOptions(values),
    ...(values.cwd ? { cwd: values.cwd as string } : {}),
    ...(values.config ? { config: values.config as string } : {}),
    logger,
    keepWorkDir: Boolean(values.debug),
  });
  for (const line of formatBuildWarnings(result.warnings)) logger.warn(line);
  const { config } = result;
  // Assets and migrations are the same on every platform (only package files differ).
  const { embedded } = result.platforms[0]!;
  const mb = (n: number): string => `${(n / 1e6).toFixed(1)} MB`;
  const several = result.platforms.length > 1 || !result.platforms[0]!.target.host;
  const platformLines = result.platforms.flatMap(({ target, executable, image, verification, verificationSkipped, report, reportPath, previousReport }) => {
    const source = target.nodeSource.kind === 'npm' ? `; ${target.nodeSource.spec} from npm${target.nodeSource.cached ? ', cached' : ''}` : target.nodeSource.kind === 'given' ? `; ${target.node.path}` : '';
    const smoke = verification
      ? `; smoke run passed (${verification.method}${verification.emulator ? `, emulated by ${verification.emulator}` : ''}${verification.boot ? `, served HTTP ${verification.boot.status} in ${verification.boot.answeredMs} ms, stopped in ${verification.boot.stopMs} ms` : ''})`
      : verificationSkipped ? `; smoke run skipped (no ${target.platform.qemu})` : '; smoke run skipped';
    return [
      ...(several ? [`  ${target.platform.name}`] : []),
      `  executable  ${relative(process.cwd(), executable.path) || executable.path}  ${mb(executable.sizeBytes)}  sha256:${executable.sha256.slice(0, 16)}`,
      `  node        ${executable.node.version} (${mb(executable.node.strippedBytes)} stripped${source})`,
      ...(image ? [
        `  image       ${relative(process.cwd(), image.archive.path)}  ${image.archive.references[0]}  ${mb(image.layers.reduce((n, l) => n + l.sizeBytes, 0))} compressed, ${mb(image.layers.reduce((n, l) => n + l.uncompressedBytes, 0))} uncompressed`,
        ...(image.push ? [`  pushed      ${image.push.reference}@${image.push.manifestDigest} (${image.push.uploadedBlobs.length} blobs uploaded, ${image.push.existingBlobs.length} already there)`] : []),
        `              ${image.closure.libraries.filter((l) => l.system).length} shared libraries; id ${image.archive.imageId.slice(0, 19)}${smoke}`,
      ] : []),
      ...formatBuildSummary(report, {
        path: relative(process.cwd(), reportPath),
        ...(compareWith && !several ? { previous: compareWith, previousLabel: values.compare as string } : previousReport ? { previous: previousReport, previousLabel: `the previous report (${previousReport.app.version})` } : {}),
      }),
    ];
  });
  logger.info([
    `built ${result.platforms.map((p) => relative(process.cwd(), p.executable.path) || p.executable.path).join(', ')} in ${((performance.now() - started) / 1000).toFixed(1)} s`,
    ...platformLines,
    ...(result.index ? [
      `  index       ${relative(process.cwd(), result.index.archive.path)}  ${result.index.archive.references[0]}  ${result.index.archive.manifests.map((m) => m.platform).join(' + ')}: ${mb(result.index.archive.totalBlobBytes)} of distinct blobs; index ${result.index.archive.indexDigest.slice(0, 19)}; docker load gets ${result.index.archive.dockerPlatform}`,
      ...(result.index.push ? [`  pushed      ${result.index.push.reference}@${result.index.push.indexDigest} (index of ${result.index.push.manifestDigests.length}; ${result.index.push.uploadedBlobs.length} blobs uploaded, ${result.index.push.existingBlobs.length} already there)`] : []),
    ] : []),
    `  bundle      ${(result.bundle.sizeBytes / 1024).toFixed(1)} KiB JavaScript`,
    `  assets      ${embedded.assets ? `${embedded.assets.records.length} files, ${embedded.assets.totalBytes} bytes (+ precompressed variants)` : 'none'}`,
    `  migrations  ${embedded.migrations ? `${embedded.migrations.migrations.length} files` : 'none'}`,
    ...(result.publication && result.publication.tags.length > 1 ? [`  tags        ${result.publication.tags.join(', ')}`] : []),
    ...(result.sboms ? [`  sbom        ${result.sboms.documents.map((doc) => relative(process.cwd(), doc.path)).join(', ')} (${result.sboms.inventory.packages.length} packages, ${result.sboms.inventory.files.length} files)${result.publication?.attached ? `; attached via ${[...new Set(result.publication.attached.sboms.map((s) => s.via))].join(', ')}` : ''}`] : []),
    `  version     ${config.name} ${config.version}${config.commit ? ` (${config.commit.slice(0, 12)})` : ''}, built ${new Date(config.sourceDateEpoch * 1000).toISOString()}`,
  ].join('\n'));
  if (values.timings) logger.info(formatTimings(result.timings, performance.now() - started));
  return 0;
}

/** One line per stage with its share of the whole build; the rest is what no stage measured (start-up, printing). */
function formatTimings(stages: StageTiming[], totalMs: number): string {
  const width = Math.max(...stages.map((s) => s.stage.length), 'total'.length);
  const line = (name: string, ms: number) => `  ${name.padEnd(width)}  ${(ms / 1000).toFixed(2).padStart(6)} s  ${((100 * ms) / totalMs).toFixed(0).padStart(3)} %`;
  return ['timings', ...stages.map((s) => line(s.stage, s.durationMs)), line('total', totalMs)].join('\n');
}

async function runVerify(paths: string[]): Promise<number> {
  if (paths.length !== 1) throw buildUsageError('verify takes one image archive: seabuild verify dist/<name>.image.tar');
  const { verifyArchive } = await import('./verify-archive.ts');
  const verification = await verifyArchive(paths[0]!);
  for (const command of verification.commands) process.stdout.write(`ok  ${command.command}  (${command.durationMs} ms)\n`);
  process.stdout.write(`${paths[0]}${verification.reference ? ` (${verification.reference})` : ''}: smoke run passed (${verification.method})\n`);
  return 0;
}

/** Runs the CLI with `argv` (without node and script); returns the exit code. */
export async function main(given: string[]): Promise<number> {
  // `--version` alone is the version command, not an option of build's (which the parser would refuse).
  const argv = given.length === 1 && (given[0] === '--version' || given[0] === '-v') ? ['version'] : given;
  const debug = argv.includes('--debug');
  try {
    // The commands other than build load their modules when run: a build does not pay for them (yaml alone is 74 modules).
    if (argv[0] === 'trace') return await (await import('./trace/cli.ts')).runTraceCommand(argv.slice(1), { stdout: (text) => process.stdout.write(text) });
    if (argv[0] === 'resolve') return await (await import('./resolve/cli.ts')).runResolveCommand(argv.slice(1), { stdout: (text) => process.stdout.write(text), build });
    if (argv[0] === 'report') return await runReportCommand(argv.slice(1), { stdout: (text) => process.stdout.write(text), stderr: (text) => process.stderr.write(text) });
    const { values, positionals } = (() => {
      try {
        const parsed = parseArgs({ args: argv, options: parseOptions, allowPositionals: true, strict: true });
        return { values: parsed.values as Record<string, unknown>, positionals: parsed.positionals };
      } catch (error) {
        throw buildUsageError((error as Error).message.split('\n')[0] ?? 'invalid arguments');
      }
    })();
    const [command = 'help', ...rest] = positionals;
    if (values.help || command === 'help') { process.stdout.write(`${usage}\n`); return 0; }
    if (command === 'version') { process.stdout.write(`seabuild ${seabuildVersion}\n`); return 0; }
    if (command === 'verify') return await runVerify(rest);
    if (rest.length > 0) throw buildUsageError(`unexpected argument "${rest[0]}"`);
    if (command === 'build') return await runBuild(values);
    throw buildUsageError(`unknown command "${command}"`);
  } catch (error) {
    if (error instanceof SeabuildError) {
      process.stderr.write(`${formatError(error)}\n`);
      if (debug) process.stderr.write(`${error.stack}\n${error.cause ? `cause: ${String((error.cause as Error).stack ?? error.cause)}\n` : ''}`);
      return error.exitCode;
    }
    process.stderr.write(`seabuild: internal error: ${(error as Error).message}\n  fix: rerun with --debug and report it\n`);
    if (debug) process.stderr.write(`${(error as Error).stack}\n`);
    return 1;
  }
}
