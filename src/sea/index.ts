// Stage 3: the single executable. The blob is made by the target node itself (a blob from another
// version segfaults — measured), the binary is stripped BEFORE injection (stripping after breaks the
// injected section — measured), then postject injects the blob and the result is renamed into place.
import { chmod, copyFile, mkdtemp, stat, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { createRequire } from 'node:module';
import { execa, type Result } from 'execa';
import { SeabuildError } from '../errors.ts';
import { writeAtomically } from '../fs-atomic.ts';
import type { Logger } from '../log.ts';
import { untimed, type Timings } from '../timings.ts';
import { inspectNodeBinary, seaFuse, type NodeBinary } from './node-binary.ts';
import { stripNodeBinary, type StripTool } from './strip.ts';
import { sha256File } from '../sha256.ts';
import { injectFromTemplate, prepareInjectTemplate, type InjectTemplate } from './inject.ts';
import { fixCodeCacheFlagHash, REPRODUCIBLE_SEED_FLAG } from './code-cache.ts';

export type { NodeBinary } from './node-binary.ts';
export type { StripTool } from './strip.ts';

/** A checked node binary with its stripped copy: made once per build, shared by every executable of it. */
export interface PreparedNode extends NodeBinary {
  /** sha256 of the original binary. */
  sha256: string;
  strippedPath: string;
  strippedBytes: number;
  /** postject's output for this node, reused for every blob (inject.ts); path null: postject runs each time. */
  injectTemplate: InjectTemplate;
  /**
   * For a binary of another machine: the host node of the same version that makes the blob (a blob
   * without code cache and snapshot is platform-independent), and the command prefix that runs the
   * executable for its check (qemu-user with the target's sysroot); without a prefix the check is skipped.
   */
  foreign?: { blobMaker: NodeBinary; runPrefix?: string[] };
}

/** The finished executable and what it is made of. */
export interface SeaExecutable {
  path: string;
  sizeBytes: number;
  sha256: string;
  node: PreparedNode;
  blobBytes: number;
  /** The SEA assets in its blob, in key order, with their sizes (the size report cuts the blob up by them). */
  assets: SeaAsset[];
  /** Where it was made, when it was then published to `path` (the image's files name that path). */
  stagedPath?: string;
}

/** One SEA asset of an executable's blob. */
export interface SeaAsset {
  key: string;
  path: string;
  sizeBytes: number;
}

/** Checks the node binary and strips a copy (cached by its sha256). */
export async function prepareNode(nodeBinary: string, cacheDir: string, logger: Logger): Promise<PreparedNode> {
  const node = await inspectNodeBinary(nodeBinary);
  logger.debug(`node ${node.version} at ${node.path}`);
  const stripped = await stripNodeBinary(node, cacheDir, (message) => logger.warn(`seabuild: warning: ${message}`));
  const injectTemplate = await prepareInjectTemplate(stripped.path, (executable, blobPath) => runPostject(executable, blobPath, node.path));
  if (injectTemplate.path === null) logger.debug(`postject runs for every executable of this node: ${injectTemplate.reason}`);
  return { ...node, sha256: stripped.sourceSha256, strippedPath: stripped.path, strippedBytes: stripped.sizeBytes, injectTemplate };
}

/** Like prepareNode for a node binary of another machine, already checked (src/platform), stripped by that machine's strip. */
export async function prepareForeignNode(node: NodeBinary, cacheDir: string, strip: StripTool, foreign: NonNullable<PreparedNode['foreign']>): Promise<PreparedNode> {
  const stripped = await stripNodeBinary(node, cacheDir, () => {}, strip);
  // postject itself for other machines: the template injector is checked on this machine's node binaries only.
  return { ...node, sha256: stripped.sourceSha256, strippedPath: stripped.path, strippedBytes: stripped.sizeBytes, foreign, injectTemplate: { path: null, reason: 'a node binary of another machine' } };
}

export interface SeaInput {
  node: PreparedNode;
  bundlePath: string;
  /** SEA asset key → file. */
  assets: Record<string, string>;
  output: string;
  workDir: string;
  /** Run the new executable once (SEABUILD_COMMAND='version --json'); false for the image's variant, whose files exist only in the image (the verify stage runs it there). */
  check?: boolean;
  /** Add V8's code cache of the bundle (reproducible: code-cache.ts). */
  codeCache?: boolean;
  /** Records the blob, inject and check steps as `<label>: …` (label default: executable). */
  timings?: Timings;
  label?: string;
}

const postjectCli = createRequire(import.meta.url).resolve('postject/dist/cli.js');

/** Builds the executable at `input.output` (atomically). */
export async function buildSea(input: SeaInput): Promise<SeaExecutable> {
  const { node, timings = untimed, label = 'executable' } = input;
  const blobPath = await timings.time(`${label}: blob`, () => makeBlob(node.foreign?.blobMaker ?? node, input));
  return writeAtomically(input.output, async (temp) => {
    await timings.time(`${label}: inject`, async () => {
      const template = node.injectTemplate;
      if (template.path !== null) return injectFromTemplate(template, blobPath, (await stat(blobPath)).size, temp);
      await copyFile(node.strippedPath, temp);
      await runPostject(temp, blobPath, input.output);
    });
    await chmod(temp, 0o755);
    if (input.check !== false && (!node.foreign || node.foreign.runPrefix)) await timings.time(`${label}: check`, () => checkExecutable(temp, node, input.output, input.workDir));
    return {
      path: input.output,
      sizeBytes: (await stat(temp)).size,
      sha256: await timings.time(`${label}: hash`, () => sha256File(temp)),
      node,
      blobBytes: (await stat(blobPath)).size,
      assets: await Promise.all(Object.entries(input.assets).map(async ([key, path]) => ({ key, path, sizeBytes: (await stat(path)).size }))),
    };
  });
}

async function makeBlob(node: NodeBinary, input: SeaInput): Promise<string> {
  const blobPath = join(input.workDir, 'sea-prep.blob');
  const configPath = join(input.workDir, 'sea-config.json');
  // No snapshot; the code cache only when asked for, made reproducible (code-cache.ts): the blob must be the same every build.
  // Paths relative to the work folder: the blob records `main` as given, and a temp path would differ per build.
  const codeCache = input.codeCache === true;
  // V8's code cache is machine code's companion: a blob with one is not platform-independent (Node's SEA docs).
  if (codeCache && input.node.foreign) {
    throw new SeabuildError({ code: 'CODE_CACHE_FOREIGN_PLATFORM', message: 'codeCache cannot be used for a platform other than the build machine\'s', file: input.node.path, fix: 'build that platform without codeCache, or on a machine of that platform' });
  }
  const seaConfig = { main: relative(input.workDir, input.bundlePath), output: relative(input.workDir, blobPath), disableExperimentalSEAWarning: true, useSnapshot: false, useCodeCache: codeCache, assets: input.assets };
  await writeFile(configPath, JSON.stringify(seaConfig, null, 2));
  const makeSeaBlob = async (nodeFlags: string[], config: string, cwd: string) => {
    await run('node --experimental-sea-config', [node.path, [...nodeFlags, '--experimental-sea-config', config]], node.path, cwd);
  };
  await makeSeaBlob(codeCache ? [REPRODUCIBLE_SEED_FLAG] : [], configPath, input.workDir);
  if (codeCache) await fixCodeCacheFlagHash(blobPath, input.workDir, makeSeaBlob);
  return blobPath;
}

/**
 * Runs the new executable once, through the runtime's channel (SEABUILD_COMMAND, which no command
 * line reaches), so no code of the app runs; in an empty folder, so nothing lands in the app's.
 * A blob the binary cannot read crashes here, not in production.
 */
async function checkExecutable(path: string, node: PreparedNode, output: string, workDir: string): Promise<void> {
  const cwd = await mkdtemp(join(workDir, 'check-'));
  const prefix = node.foreign?.runPrefix ?? [];
  const result = await execa(prefix[0] ?? path, [...prefix.slice(1), ...(prefix.length > 0 ? [path] : [])], { reject: false, timeout: 60_000, cwd, env: { PATH: '/usr/bin:/bin', SEABUILD_COMMAND: 'version --json' }, extendEnv: false, all: true });
  let reported: { node?: string } = {};
  try { reported = JSON.parse(result.stdout); } catch { /* reported below */ }
  if (result.exitCode === 0 && reported.node === node.version) return;
  const output3 = (result.all ?? '').split('\n').filter(Boolean).slice(0, 3).join(' / ');
  // A blob from another node version dies on a signal before any JavaScript runs (measured: SIGSEGV).
  const crashed = result.signal === 'SIGSEGV' || result.signal === 'SIGBUS' || result.signal === 'SIGILL' || result.signal === 'SIGABRT';
  const how = result.timedOut ? 'did not answer within 60 s' : result.signal ? `was killed by ${result.signal}` : `exited ${result.exitCode}`;
  throw new SeabuildError({
    code: 'SEA_CHECK_FAILED',
    message: `the new executable ${how} when asked for its version${reported.node ? ` (it reports node ${reported.node}, built with ${node.version})` : ''}${output3 ? `: ${output3}` : ''}`,
    file: output,
    fix: crashed
      ? `the blob and the binary must come from the same node (${node.path} is ${node.version}); rerun with --debug and report it if it persists`
      : 'rerun with --debug to keep the work folder, and run SEABUILD_COMMAND="version --json" on the executable there to see the whole output',
    cause: result,
  });
}

async function runPostject(executable: string, blobPath: string, subject: string): Promise<void> {
  await run('postject', [process.execPath, [postjectCli, executable, 'NODE_SEA_BLOB', blobPath, '--sentinel-fuse', seaFuse]], subject);
}

/** Runs a tool; a failure keeps the tool's own output (execa's error) as the cause. */
async function run(what: string, [file, args]: [string, string[]], subject: string, cwd?: string): Promise<Result> {
  const result = await execa(file, args, { reject: false, all: true, ...(cwd ? { cwd } : {}), env: { NODE_OPTIONS: '' } });
  if (result.exitCode !== 0) {
    const firstLines = (result.all ?? '').split('\n').filter(Boolean).slice(-3).join(' / ');
    throw new SeabuildError({ code: 'SEA_TOOL_FAILED', message: `${what} failed (${result.shortMessage}): ${firstLines}`, file: subject, fix: 'see the output above; rerun with --debug for the full error', cause: result });
  }
  return result;
}
