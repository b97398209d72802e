// `seabuild trace [options] -- COMMAND [ARGS…]`: parse, trace, print. Exit codes: the traced
// command's failure is reported but the include list is still written (0); 2 for usage errors.
import { parseArgs } from 'node:util';
import { relative } from 'node:path';
import { usageError } from '../errors.ts';
import { createLogger } from '../log.ts';
import { trace } from './index.ts';

/** The usage text of `seabuild trace`. */
export const TRACE_USAGE = `Usage: seabuild trace [options] -- COMMAND [ARGS…]

Runs COMMAND (your app under plain node, or its tests) and records every package file it reads,
lists or loads. Those the build would not embed are added to "include" in seabuild.config.json,
or in package.json's "seabuild" key.

Example: seabuild trace -- node src/main.ts serve
A service runs until you stop it (Ctrl-C, or kill): what it opened until then is recorded.

Options:
  --cwd DIR        the app folder (default: current folder)
  --config FILE    config file (default: seabuild.config.{json,ts,mts,cts,js,mjs,cjs} if present)
  --entry PATH     the app's entry, as for build (default: package.json main)
  --dry-run        print the include list, write nothing
  --quiet          print only the result`;

/** Runs `seabuild trace ARGS`; returns the exit code. */
export async function runTraceCommand(argv: string[], io: { stdout: (text: string) => void }): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, strict: true, options: { cwd: { type: 'string' }, config: { type: 'string' }, entry: { type: 'string' }, 'dry-run': { type: 'boolean' }, quiet: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } });
  } catch (error) {
    throw usageError((error as Error).message.split('\n')[0] ?? 'invalid arguments', 'run seabuild trace --help');
  }
  const { values, positionals } = parsed;
  if (values.help) { io.stdout(`${TRACE_USAGE}\n`); return 0; }
  const result = await trace({
    cwd: values.cwd ?? process.cwd(),
    command: positionals,
    ...(values.config ? { config: values.config } : {}),
    ...(values.entry ? { entry: values.entry } : {}),
    logger: createLogger({ quiet: Boolean(values.quiet) }),
    write: !values['dry-run'],
  });
  const entries = Object.entries(result.found);
  if (result.stoppedBy) io.stdout(`trace: the command was stopped (${result.stoppedBy}); what it opened until then is below\n`);
  if (result.exitCode !== 0) io.stdout(`trace: the command exited with ${result.exitCode}; what it opened until then is below\n`);
  if (entries.length === 0) { io.stdout('trace: the build already carries every package file the command opened\n'); return 0; }
  io.stdout(`trace: ${entries.reduce((n, [, g]) => n + g.length, 0)} file(s) of ${entries.length} package(s) the build would not have carried:\n`);
  for (const [name, globs] of entries) io.stdout(`  ${name === '.' ? '. (the app)' : name}: ${globs.join(', ')}\n`);
  io.stdout(result.written ? `trace: include written to ${relative(process.cwd(), result.written) || result.written}\n` : `trace: not written (--dry-run); include: ${JSON.stringify(result.include)}\n`);
  return 0;
}
