// Stage: the smoke run, after the image stage laid out the rootfs and before it writes layers. The
// rootfs is written as a folder and the executable run inside it (run.ts); a failure stops the build
// before an image exists. Another machine's executable runs under qemu-user, or is skipped with a warning.
import { basename, join } from 'node:path';
import type { Warning } from '../errors.ts';
import { forwardTargets } from './forward.ts';
import type { Logger } from '../log.ts';
import { writeRootfsToDir, type Rootfs } from '../rootfs/index.ts';
import { untimed, type Timings } from '../timings.ts';
import { verifyRootfs, type Verification } from './run.ts';

export type { Verification, VerifyInput } from './run.ts';
export type { BootResult } from './boot.ts';

/** The smoke-run settings of the config (`verify`); undefined when it is off (--no-verify). */
export interface VerifySettings {
  boot: boolean;
  env: Record<string, string>;
  timeoutMs: number;
  args: string[];
  /** The timeout was set by the user (it is then not stretched for an emulator). */
  timeoutSet: boolean;
}

export interface VerifyImageInput {
  settings: VerifySettings | undefined;
  /** The image's files, as the image stage laid them out. */
  rootfs: Rootfs;
  /** The image's entrypoint (the executable inside the rootfs). */
  appPath: string;
  /** The split layout has no single executable to run: the smoke run is skipped. */
  split: boolean;
  /** The executable on the build machine, named in messages. */
  subject: string;
  /** A service is booted after the commands: on `port`, with the image's environment and user. */
  mode: 'service' | 'cli';
  port: number;
  imageEnv: Readonly<Record<string, string>>;
  imageUser?: string;
  /** The entry calls runApp(): the smoke run also runs its selftest. */
  runApp: boolean;
  /** The app has its own migrate command (src/commands): run before the boot when verify.env names a database. */
  migrateCommand?: boolean;
  /** Another machine's build: its platform and the qemu-user found for it (none: the run is skipped). */
  target?: { platform: { name: string; qemu: string; machine: string }; emulator?: string };
  workDir: string;
  logger: Logger;
  timings?: Timings;
}

/** What the stage did: the smoke run's proof, or why it did not run. */
export interface SmokeRun {
  verification?: Verification;
  /** The smoke run was skipped (another machine and no emulator here). */
  verificationSkipped?: Warning;
}

/** How much longer a boot may take under qemu-user when the config sets no timeout (measured: node starts ~1.2 s under qemu, ~0.05 s natively). */
const EMULATED_BOOT_FACTOR = 3;

/** Smoke-runs the laid-out rootfs; throws VERIFY_* when the executable fails inside it. */
export async function verifyImage(input: VerifyImageInput): Promise<SmokeRun> {
  const { settings, logger, timings = untimed } = input;
  if (!settings) return {};
  if (input.split) logger.info('smoke run skipped: the split layout has no single executable to run (image.layout "split")');
  const skipped = input.target && !input.target.emulator ? noEmulator(input.target.platform, input.subject) : undefined;
  if (input.split || skipped) return skipped ? { verificationSkipped: skipped } : {};
  const rootfsDir = join(input.workDir, 'rootfs');
  // seabuild's own outputs in the work folder (the 146 MB executable for Kitteh) are linked, not copied: the run only executes them.
  await timings.time('image: rootfs folder', () => writeRootfsToDir(input.rootfs, rootfsDir, { linkFilesBelow: input.workDir }));
  const commands = ['version --json', 'load-addons', ...(input.runApp ? ['selftest'] : [])];
  const boot = input.mode === 'service' && settings.boot;
  const emulator = input.target?.emulator;
  const timeoutMs = emulator && !settings.timeoutSet ? settings.timeoutMs * EMULATED_BOOT_FACTOR : settings.timeoutMs;
  const forwarded = boot ? forwardTargets({ ...input.imageEnv, ...settings.env }).targets : [];
  const migrate = boot && input.migrateCommand === true && forwarded.length > 0;
  const reaches = forwarded.length > 0 ? ` (reaching ${forwarded.map((t) => `${t.host}:${t.port}`).join(', ')})` : '';
  logger.info(`smoke run inside the ${input.target?.platform.name ?? 'image'} rootfs${emulator ? ` (emulated: ${basename(emulator)})` : ''}: ${commands.map((c) => c.split(' ')[0]).join(', ')}${migrate ? ', then migrate' : ''}${boot ? `, then serve on PORT=${input.port} until SIGTERM${reaches}` : ''}`);
  const verification = await timings.time('image: smoke run', () => verifyRootfs({
    rootfsDir, appPath: input.appPath, commands, subject: input.subject, ...(emulator ? { emulator } : {}),
    ...(boot ? { boot: { env: { ...input.imageEnv, ...settings.env }, args: settings.args, port: input.port, timeoutMs, graceMs: 10_000, migrate, ...(input.imageUser ? { user: input.imageUser } : {}) } } : {}),
  }));
  return { verification };
}

/** No qemu-user for another machine's smoke run: a warning (an explicit verify failed earlier, in src/platform). */
function noEmulator(platform: { name: string; qemu: string; machine: string }, subject: string): Warning {
  const why = `${platform.qemu} is not on the PATH, and this machine cannot run ${platform.machine} programs itself`;
  const fix = `install qemu-user-static (apt-get install qemu-user-static) to smoke-run ${platform.name} builds here, or pass --verify to make this an error`;
  return { code: 'VERIFY_SKIPPED_NO_EMULATOR', message: `the ${platform.name} smoke run was skipped: ${why}`, file: subject, fix };
}
