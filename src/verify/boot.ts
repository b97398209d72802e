// The smoke run's boot: the service started for real inside the rootfs, in a network namespace of
// its own (so its port collides with nothing on the build machine and nothing outside can reach
// it), asked over HTTP, stopped with SIGTERM. boot-driver.cjs does the asking inside the namespace.
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { SeabuildError } from '../errors.ts';
import { startForwarders, type ForwardTarget } from './forward.ts';
import { unreachableServer } from './unreachable.ts';

/** How the service is booted. */
export interface BootPlan {
  /** The command that starts the service inside the rootfs (chroot …). */
  command: string[];
  /** The executable inside the rootfs without the service's arguments: run with SEABUILD_COMMAND=healthcheck once it answers. */
  healthcheck?: string[];
  /** Prefix that enters a new network namespace (unshare …). */
  namespace: string[];
  /** `ip`, to bring the namespace's loopback up. */
  ip: string;
  env: Record<string, string>;
  port: number;
  timeoutMs: number;
  /** How long the service may take to exit after SIGTERM. */
  stopTimeoutMs: number;
  subject: string;
  /** Servers named in `env` (forward.ts): reachable from inside the namespace at 127.0.0.1:PORT. */
  forwards?: ForwardTarget[];
  /** A command run to completion before the service (the app's `migrate`, against the forwarded database). */
  before?: string[];
}

/** What the boot proved. */
export interface BootResult {
  /** HTTP status of the first answer on PORT. */
  status: number;
  answeredMs: number;
  stopMs: number;
}

export interface DriverReport {
  phase: 'before-failed' | 'exited-early' | 'no-answer' | 'unhealthy' | 'did-not-stop' | 'stopped';
  /** no-answer: the service listened on other ports only, noticed this many ms after the start. */
  otherPortMs?: number;
  /** unhealthy: the healthcheck's exit code and what it said. */
  healthcheck?: { code: number | null; said: string };
  code?: number | null;
  signal?: string | null;
  error?: string;
  status?: number;
  answeredMs?: number;
  stopMs?: number;
  listening?: number[];
  /** Database ports on 127.0.0.1 the service connected to, none of them forwarded (boot-driver.cjs). */
  trapped?: number[];
  output: string;
}

const driver = fileURLToPath(new URL('./boot-driver.cjs', import.meta.url));

/** How long a service may listen on other ports only before the boot says so (a side port may open first). */
const OTHER_PORT_GRACE_MS = 2000;

/** Boots, probes and stops the service; throws VERIFY_BOOT_FAILED saying what went wrong. */
export async function bootService(plan: BootPlan): Promise<BootResult> {
  const forwarders = await startForwarders(plan.forwards ?? []);
  const driverPlan = JSON.stringify({
    command: plan.command, healthcheck: plan.healthcheck, env: plan.env, port: plan.port, timeoutMs: plan.timeoutMs, stopTimeoutMs: plan.stopTimeoutMs,
    otherPortGraceMs: OTHER_PORT_GRACE_MS, forwards: forwarders.inside, ...(plan.before ? { before: plan.before } : {}),
  });
  const result = await execa(plan.namespace[0]!, [...plan.namespace.slice(1), '/bin/sh', '-c', `"$0" link set lo up && exec "$@"`, plan.ip, process.execPath, driver, driverPlan], {
    reject: false, all: true, extendEnv: false, env: {}, timeout: (plan.before ? 2 : 1) * plan.timeoutMs + plan.stopTimeoutMs + 30_000,
  }).finally(() => forwarders.stop());
  let report: DriverReport | undefined;
  try { report = JSON.parse(result.stdout.trim().split('\n').at(-1) ?? ''); } catch { /* below */ }
  if (!report) {
    throw new SeabuildError({
      code: 'VERIFY_UNAVAILABLE',
      message: `cannot boot the service in a network namespace of its own: ${(result.all ?? result.shortMessage).split('\n').slice(0, 2).join(' / ')}`,
      file: plan.subject,
      fix: 'run the build as root or allow unprivileged user namespaces (with iproute2 installed); or skip the boot with --no-verify-boot',
      cause: result,
    });
  }
  if (report.phase === 'stopped' && stoppedCleanly(report)) return { status: report.status!, answeredMs: report.answeredMs!, stopMs: report.stopMs! };
  throw unreachableServer(plan, report, forwarders.failures(), result) ?? bootError(plan, report, result);
}

/**
 * A stop by SIGTERM ends in 0, in 143 (128 + SIGTERM, what Next.js's standalone server exits with
 * from its own handler, on purpose) or in death by SIGTERM (a handler that re-raises it, as
 * signal-exit does): Docker and Kubernetes count all three as the normal end of a stop.
 */
function stoppedCleanly(report: DriverReport): boolean {
  return report.code === 0 || report.code === 143 || report.signal === 'SIGTERM';
}

function bootError(plan: BootPlan, report: DriverReport, cause: unknown): SeabuildError {
  const lines = report.output.split('\n').filter((line) => line.trim() !== '');
  const shown = lines.length === 0 ? ' (it printed nothing)' : `; its output:\n    ${lines.slice(0, 8).join('\n    ')}${lines.length > 8 ? `\n    … (${lines.length - 8} more lines)` : ''}`;
  const how = report.signal ? `was killed by ${report.signal}` : report.error ? `could not start (${report.error})` : `exited ${report.code}`;
  const outsideState = 'if it needs outside state to start (a database), give the smoke run what it needs with verify.env (--verify-env KEY=VALUE), or skip the boot with --no-verify-boot';
  const seconds = `${(plan.timeoutMs / 1000).toFixed(0)} s`;
  const other = report.listening?.filter((port) => port !== plan.port) ?? [];
  const [message, fix] = report.phase === 'before-failed'
    ? [`the app's migrate command ${how} before the service was started`, 'run ./app migrate against the database of verify.env by hand to see why (the smoke run migrates that database before it boots the service), or skip the boot with --no-verify-boot']
    : report.phase === 'exited-early'
    ? [`the service ${how} before it answered HTTP on port ${plan.port}`, outsideState]
    : report.phase === 'no-answer' && other.length > 0
      ? [`the service listens on port ${other.join(', ')}, not on PORT=${plan.port}${report.otherPortMs === undefined ? `, and did not answer there within ${seconds}` : ` (nothing on PORT ${(OTHER_PORT_GRACE_MS / 1000).toFixed(0)} s after it listened there)`}`, `make the app listen on process.env.PORT, or set the config "port" to ${other[0]} (the port the image's PORT and healthcheck use)`]
      : report.phase === 'unhealthy'
        ? [`the service answered, but the image's healthcheck calls it unhealthy (${report.healthcheck?.said || `exit ${report.healthcheck?.code}`})`, 'a container engine would mark it unhealthy too: make the healthcheck path (default / for a plain app, /healthz with runApp) answer below 500, or set "healthcheckPath" to a path that does']
      : report.phase === 'no-answer'
        ? [`the service did not answer HTTP on port ${plan.port} within ${seconds}`, `make it listen on process.env.PORT; a slow start can have more time with verify.timeoutMs; ${outsideState}`]
        : report.phase === 'did-not-stop'
          ? [`the service did not exit within ${(plan.stopTimeoutMs / 1000).toFixed(0)} s of SIGTERM`, 'let it exit on SIGTERM: without a handler of its own the runtime drains its HTTP servers and exits 0']
          : [`the service ${how} after SIGTERM (a clean stop exits 0 or 143)`, 'exit 0 (or 143) from the app\'s SIGTERM handler, or install none and let the runtime drain its HTTP servers'];
  return new SeabuildError({ code: 'VERIFY_BOOT_FAILED', message: `smoke run: ${message}${shown}`, file: plan.subject, fix, cause });
}
