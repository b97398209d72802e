// The smoke run itself: runs the executable inside exactly the files of a rootfs folder — chroot as
// root, an unprivileged user namespace otherwise — with an empty environment: the runtime's own
// commands (version, every native addon loaded, a runApp app's selftest), then the service booted for
// real (boot.ts), so a missing library or a crash fails the build instead of the first upload in
// production (the article's missing mogrify, the Erlang mismatch).
import { existsSync, readFileSync } from 'node:fs';
import { copyFile, mkdir } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { execa, type Result } from 'execa';
import { SeabuildError } from '../errors.ts';
import { bootService, type BootResult } from './boot.ts';
import { forwardTargets } from './forward.ts';

/** What the smoke run proved. */
export interface Verification {
  rootfsDir: string;
  /** The runtime commands run (through SEABUILD_COMMAND: no app argument can reach them). */
  commands: Array<{ command: string; exitCode: number; durationMs: number; stdout: string }>;
  /** The service's boot, when it was booted. */
  boot?: BootResult;
  method: 'chroot' | 'unshare';
  /** The qemu-user program the executable ran under (another machine's executable), when it did. */
  emulator?: string;
}

export interface VerifyInput {
  rootfsDir: string;
  /** Path of the executable inside the rootfs, e.g. `/app`. */
  appPath: string;
  /** Runtime commands to run, e.g. ['version --json', 'load-addons']. */
  commands: string[];
  /** Boot the service (serve): with the image's environment, on its PORT. */
  boot?: { env: Record<string, string>; args?: string[]; port: number; timeoutMs: number; graceMs: number; user?: string; migrate?: boolean };
  /** Where the rootfs came from, for messages (the archive or the build output). */
  subject: string;
  /**
   * A static qemu-user program: the executable is of another machine. It is copied into the rootfs
   * folder (only there: the image's layers are made from the rootfs entries) and runs the executable.
   */
  emulator?: string;
}

/** Where the emulator is put inside the smoke run's rootfs folder. */
const EMULATOR_DIR = '/.seabuild-emulator';

/** Runs each command inside the rootfs, then boots the service; throws VERIFY_* with the cause on failure. */
export async function verifyRootfs(input: VerifyInput): Promise<Verification> {
  const method = process.getuid?.() === 0 ? 'chroot' : 'unshare';
  const chroot = findTool('chroot');
  const prefix = method === 'chroot' ? [chroot, input.rootfsDir] : [findTool('unshare'), '--user', '--map-root-user', chroot, input.rootfsDir];
  const run = input.emulator ? [await placeEmulator(input.rootfsDir, input.emulator), input.appPath] : [input.appPath];
  const emulated = input.emulator ? { emulator: basename(input.emulator) } : {};
  // The commands are independent processes (the runtime's extraction is safe for processes starting
  // at once), so they run side by side; a failure is reported for the first failing command in order.
  const results = await Promise.all(input.commands.map(async (command) => {
    const started = performance.now();
    const result = await execa(prefix[0]!, [...prefix.slice(1), ...run], {
      reject: false, env: { SEABUILD_COMMAND: command }, extendEnv: false, timeout: 120_000, all: true,
    });
    return { command, result, durationMs: Math.round(performance.now() - started) };
  }));
  const failed = results.find(({ result }) => result.exitCode !== 0);
  if (failed) throw verifyError(input, failed.command, failed.result, method);
  const commands: Verification['commands'] = results.map(({ command, durationMs, result }) => ({ command, exitCode: 0, durationMs, stdout: result.stdout }));
  if (!input.boot) return { rootfsDir: input.rootfsDir, commands, method, ...emulated };
  const { boot } = input;
  // As root the service runs as the image's user, so a write outside /tmp fails here as it will in a container.
  const executable = [...(method === 'chroot' ? [chroot, ...(boot.user ? [`--userspec=${boot.user}`] : [])] : [chroot]), input.rootfsDir, ...run];
  const namespace = method === 'chroot' ? [findTool('unshare'), '--net'] : [findTool('unshare'), '--user', '--map-root-user', '--net'];
  // A database named in the boot's environment is forwarded in; the app's own migrate command prepares it first.
  const { targets, env } = forwardTargets(boot.env);
  const before = boot.migrate && targets.length > 0 ? [...executable, 'migrate'] : undefined;
  const booted = await bootService({
    command: [...executable, ...(boot.args ?? [])], healthcheck: executable, namespace, ip: findTool('ip'), env: { ...homeOf(input.rootfsDir, boot.user), ...env, PORT: String(boot.port) }, port: boot.port,
    timeoutMs: boot.timeoutMs, stopTimeoutMs: boot.graceMs + 5_000, subject: input.subject, forwards: targets, ...(before ? { before } : {}),
  });
  return { rootfsDir: input.rootfsDir, commands, boot: booted, method, ...emulated };
}

/**
 * HOME as container engines set it when the image's environment has none: the home folder of the
 * image's user in the rootfs's /etc/passwd (runc and Docker: "HOME is set based on the value of
 * USER"; so do containerd and CRI-O). Products that keep their data under $HOME (Node-RED's
 * ~/.node-red) boot in the smoke run as they do in a container.
 */
export function homeOf(rootfsDir: string, user: string | undefined): { HOME?: string } {
  const name = (user ?? '0').split(':')[0]!;
  let passwd = '';
  try { passwd = readFileSync(join(rootfsDir, 'etc/passwd'), 'utf8'); } catch { return {}; }
  const entry = passwd.split('\n').map((line) => line.split(':')).find((fields) => fields.length >= 7 && (fields[0] === name || fields[2] === name));
  return entry?.[5] ? { HOME: entry[5] } : {};
}

/** Copies the (static) emulator into the rootfs folder; returns its path inside. */
async function placeEmulator(rootfsDir: string, emulator: string): Promise<string> {
  const inside = `${EMULATOR_DIR}/${basename(emulator)}`;
  await mkdir(join(rootfsDir, EMULATOR_DIR), { recursive: true });
  await copyFile(emulator, join(rootfsDir, inside));
  return inside;
}

/** An absolute path: the smoke run's environment is empty, so the child has no PATH to search. */
function findTool(name: string): string {
  return ['/usr/sbin', '/sbin', '/usr/bin', '/bin'].map((dir) => `${dir}/${name}`).find((path) => existsSync(path)) ?? name;
}

function verifyError(input: VerifyInput, command: string, result: Result, method: string): SeabuildError {
  const output = String(result.all ?? '').trim();
  // ld.so(8): "<object>: error while loading shared libraries: <lib>: cannot open shared object file"
  const loader = /^(.*?): error while loading shared libraries: ([^:]+): (.*)$/m.exec(output);
  if (loader) {
    return new SeabuildError({
      code: 'VERIFY_MISSING_LIBRARY',
      message: `smoke run of ${input.appPath} (${command}) failed: ${loader[1]} needs ${loader[2]} (${loader[3]})`,
      file: input.subject,
      fix: `the image lacks ${loader[2]}: install the package that provides it on the build machine, or add its folder to the library search path`,
      cause: result,
    });
  }
  const notRunnable = (result as { code?: string }).code === 'ENOENT' || /chroot: (cannot|failed)|unshare: /.test(output);
  const how = result.signal ? `was killed by ${result.signal}` : `exited ${result.exitCode}`;
  return new SeabuildError({
    code: notRunnable ? 'VERIFY_UNAVAILABLE' : 'VERIFY_FAILED',
    message: notRunnable
      ? `cannot run the smoke test with ${method}: ${output.split('\n')[0] ?? result.shortMessage}`
      : `smoke run of ${input.appPath} (${command}) inside the image ${how}: ${output.split('\n').slice(-3).join(' / ')}`,
    file: input.subject,
    fix: notRunnable ? 'run the build as root or allow unprivileged user namespaces; or skip with --no-verify' : `run it from the rootfs by hand to see the whole output: seabuild build --context DIR, then SEABUILD_COMMAND='${command}' chroot DIR/rootfs ${input.appPath}`,
    cause: result,
  });
}
