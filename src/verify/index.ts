// Stage: the smoke run. Runs the executable inside exactly the files of the built rootfs — chroot as
// root, an unprivileged user namespace otherwise — with an empty environment, so a missing library or
// a crash fails the build instead of the first request in production (the article's Erlang mismatch).
import { existsSync } from 'node:fs';
import { execa, type Result } from 'execa';
import { SeabuildError } from '../errors.ts';

/** What the smoke run proved. */
export interface Verification {
  rootfsDir: string;
  commands: Array<{ args: string[]; exitCode: number; durationMs: number; stdout: string }>;
  method: 'chroot' | 'unshare';
}

export interface VerifyInput {
  rootfsDir: string;
  /** Path of the executable inside the rootfs, e.g. `/app`. */
  appPath: string;
  /** Commands to run, e.g. [['version'], ['selftest']]. */
  commands: string[][];
  /** Where the rootfs came from, for messages (the archive or the build output). */
  subject: string;
}

/** Runs each command inside the rootfs; throws VERIFY_FAILED with the loader's message on failure. */
export async function verifyRootfs(input: VerifyInput): Promise<Verification> {
  const method = process.getuid?.() === 0 ? 'chroot' : 'unshare';
  const chroot = findTool('chroot');
  const prefix = method === 'chroot' ? [chroot, input.rootfsDir] : [findTool('unshare'), '--user', '--map-root-user', chroot, input.rootfsDir];
  const commands: Verification['commands'] = [];
  for (const args of input.commands) {
    const started = performance.now();
    const result = await execa(prefix[0]!, [...prefix.slice(1), input.appPath, ...args], {
      reject: false, env: {}, extendEnv: false, timeout: 120_000, all: true,
    });
    if (result.exitCode !== 0) throw verifyError(input, args, result, method);
    commands.push({ args, exitCode: 0, durationMs: Math.round(performance.now() - started), stdout: result.stdout });
  }
  return { rootfsDir: input.rootfsDir, commands, method };
}

/** An absolute path: the smoke run's environment is empty, so the child has no PATH to search. */
function findTool(name: string): string {
  return ['/usr/sbin', '/sbin', '/usr/bin', '/bin'].map((dir) => `${dir}/${name}`).find((path) => existsSync(path)) ?? name;
}

function verifyError(input: VerifyInput, args: string[], result: Result, method: string): SeabuildError {
  const output = String(result.all ?? '').trim();
  // ld.so(8): "<object>: error while loading shared libraries: <lib>: cannot open shared object file"
  const loader = /^(.*?): error while loading shared libraries: ([^:]+): (.*)$/m.exec(output);
  if (loader) {
    return new SeabuildError({
      code: 'VERIFY_MISSING_LIBRARY',
      message: `smoke run of ${input.appPath} ${args.join(' ')} failed: ${loader[1]} needs ${loader[2]} (${loader[3]})`,
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
      : `smoke run of ${input.appPath} ${args.join(' ')} inside the image ${how}: ${output.split('\n').slice(-3).join(' / ')}`,
    file: input.subject,
    fix: notRunnable ? 'run the build as root or allow unprivileged user namespaces; or skip with --no-verify' : 'run the command from the rootfs by hand (seabuild build --context DIR, then chroot DIR/rootfs) to see the whole output',
    cause: result,
  });
}
