// A service (or its migrate command) that exits at start because it cannot reach a server — its
// database — says so in Node's words: `connect ECONNREFUSED 127.0.0.1:5432`, `getaddrinfo ENOTFOUND
// db`, `connect ENETUNREACH 10.0.0.5:5432`. The smoke run's error then says exactly that, and how to
// give the boot its database (forward.ts carries exactly the host:port named in verify.env). Apps that
// hide the cause (knex: "Unable to acquire a connection") are caught by the driver's listeners on the
// usual database ports, which record the connection.
import { SeabuildError } from '../errors.ts';
import type { ForwardTarget } from './forward.ts';

/** What this reads of the boot's plan and report (boot.ts has both; named here so boot.ts alone imports this file). */
interface FailedBoot {
  plan: { subject: string; forwards?: ForwardTarget[] };
  report: { phase: string; output: string; trapped?: number[] };
}

const unreachable = /\b(ECONNREFUSED|ENETUNREACH|EHOSTUNREACH|ENOTFOUND|EAI_AGAIN|ETIMEDOUT)\b(?:\s+(\[?[\w.:-]+\]?(?::\d+)?))?/;

/** The error for a boot that failed on an unreachable server; undefined for any other failure. */
export function unreachableServer(plan: FailedBoot['plan'], report: FailedBoot['report'], forwardFailures: string[], cause: unknown): SeabuildError | undefined {
  if (report.phase !== 'exited-early' && report.phase !== 'before-failed') return undefined;
  const who = report.phase === 'before-failed' ? 'the app\'s migrate command' : 'the service';
  const lines = report.output.split('\n').filter((line) => line.trim() !== '').slice(0, 6).join('\n    ');
  const shown = lines ? `; its output:\n    ${lines}` : '';
  if (forwardFailures.length > 0) {
    const named = (plan.forwards ?? []).map((t) => `${t.variable} (${t.host}:${t.port})`).join(', ');
    return new SeabuildError({
      code: 'VERIFY_SERVER_UNREACHABLE',
      message: `smoke run: ${who} could not reach its database: the build machine cannot connect to the server named in verify.env (${forwardFailures[0]})${shown}`,
      file: plan.subject,
      fix: `start the server that ${named} names, or point it at one this machine reaches (--verify-env NAME=URL); or skip the boot with --no-verify-boot`,
      cause,
    });
  }
  const found = unreachable.exec(report.output);
  const trapped = report.trapped?.[0];
  if (!found && trapped === undefined) return undefined;
  const [, code, address] = trapped !== undefined ? [undefined, 'nothing listens there in the smoke run', `127.0.0.1:${trapped}`] : found!;
  return new SeabuildError({
    code: 'VERIFY_SERVER_UNREACHABLE',
    message: `smoke run: ${who} exited because it could not reach ${address ?? 'its server'} (${code}): the boot runs in a network namespace of its own, which reaches only the servers named in verify.env${shown}`,
    file: plan.subject,
    fix: 'name the database in the boot\'s environment with the variable the app reads, e.g. --verify-env DATABASE_URL=postgres://USER:PASSWORD@HOST:5432/DB (or "verify": { "env": { … } }), a server this machine reaches: exactly that host:port is forwarded into the smoke run, and the app\'s migrate command runs against it first; or skip the boot with --no-verify-boot',
    cause,
  });
}
