// `seabuild trace -- COMMAND`: a measured answer to "which package files does the app open at run
// time?". The command runs under plain Node with a recorder (recorder.cjs); every file it read,
// listed or loaded that the build would not carry becomes an `include` entry of the config.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { resolveConfig } from '../config.ts';
import { bundle } from '../bundle/index.ts';
import { collectPackageFiles } from '../embed/files/index.ts';
import { targetMachine } from '../embed/files/build-step.ts';
import { SeabuildError, usageError } from '../errors.ts';
import type { Logger } from '../log.ts';
import { includesFromEvents, mergeIncludes, type TraceEvent } from './include.ts';
import { writeInclude } from './write.ts';
import { packageDirOf } from '../bundle/tree-paths.ts';

const recorder = join(import.meta.dirname, 'recorder.cjs');
// How a traced service is stopped: Ctrl-C (SIGINT) or `kill` (SIGTERM); it may die of either.
const stopSignals = ['SIGINT', 'SIGTERM'] as const;

export interface TraceOptions {
  cwd: string;
  /** The program and its arguments, e.g. `['node', 'src/main.ts', 'serve']` or `['npm', 'test']`. */
  command: string[];
  config?: string;
  /** The app's entry, when package.json names none (a program from npm: node_modules/PKG/bin/…). */
  entry?: string;
  env?: NodeJS.ProcessEnv;
  logger: Logger;
  /** Write the result into the config (default true). */
  write?: boolean;
}

/** What a trace found and did. */
export interface TraceResult {
  exitCode: number;
  /** Package (or '.') → globs the run needed beyond what the build carries. */
  found: Record<string, string[]>;
  /** The config's include after merging. */
  include: Record<string, string[]>;
  /** The file the include was written to, when written. */
  written?: string;
  /** The signal that stopped the command (a service stopped with Ctrl-C): a normal end of a trace. */
  stoppedBy?: string;
}

/** Runs `command` with the recorder, then turns what it opened into include entries. */
export async function trace(options: TraceOptions): Promise<TraceResult> {
  if (options.command.length === 0) throw usageError('trace needs a command to run', 'seabuild trace -- node src/main.ts serve');
  const env = options.env ?? process.env;
  const config = await resolveConfig({ cwd: options.cwd, env, ...(options.config ? { configFile: options.config } : {}), ...(options.entry ? { flags: { entry: options.entry } } : {}) });
  const workDir = await mkdtemp(join(tmpdir(), 'seabuild-trace-'));
  try {
    const traceFile = join(workDir, 'trace.jsonl');
    options.logger.info(`trace: running ${options.command.join(' ')}`);
    // A service is traced until the user stops it: Ctrl-C reaches the whole foreground group, and
    // trace must outlive its command to write what the command opened.
    const ignore = (): void => {};
    process.on('SIGINT', ignore);
    const run = await execa(options.command[0]!, options.command.slice(1), {
      cwd: config.root, reject: false, stdio: 'inherit',
      env: { ...env, NODE_OPTIONS: `${env.NODE_OPTIONS ?? ''} --require ${recorder}`.trim(), SEABUILD_TRACE_FILE: traceFile },
      extendEnv: false,
    }).finally(() => { process.off('SIGINT', ignore); });
    const stopped = run.signal !== undefined && (stopSignals as readonly string[]).includes(run.signal);
    if (run.failed && run.exitCode === undefined && !stopped) {
      throw new SeabuildError({ code: 'TRACE_COMMAND_FAILED', message: `cannot run ${options.command[0]}: ${run.shortMessage}`, fix: 'check the command after --', cause: run });
    }
    const events = await readEvents(traceFile);
    options.logger.info(`trace: ${events.length} file events; comparing with what the build carries`);
    const bundled = await bundle(config, workDir);
    const machine = await targetMachine(config.nodeBinary);
    const { files } = await collectPackageFiles({ root: config.root, tree: bundled.tree, metafile: bundled.metafile, include: config.include, exclude: config.exclude, external: config.external, machine });
    const carried = new Set<string>([
      ...Object.keys(bundled.metafile.inputs).map((input) => join(config.root, input)),
      ...files.files.map((f) => f.sourcePath),
      ...bundled.tree.entries.map((e) => e.source),
    ]);
    const bundledPackages = new Set([...carried].filter((f) => f.includes('/node_modules/')).map((f) => packageDirOf(f, config.root)));
    const found = includesFromEvents(events, config.root, carried, bundledPackages);
    const include = mergeIncludes(config.include, found);
    const written = options.write === false || Object.keys(found).length === 0 ? undefined : await writeInclude(config, include);
    return { exitCode: stopped ? 0 : run.exitCode ?? 1, found, include, ...(written ? { written } : {}), ...(stopped ? { stoppedBy: run.signal } : {}) };
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}

async function readEvents(file: string): Promise<TraceEvent[]> {
  let text = '';
  try { text = await readFile(file, 'utf8'); } catch { return []; }
  return text.split('\n').filter(Boolean).map((line) => JSON.parse(line) as TraceEvent);
}
