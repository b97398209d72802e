// `seabuild resolve -f FILE|DIR`: parse, resolve, print the YAML to stdout (logs go to stderr).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { formatWarning, usageError, type Warning } from '../errors.ts';
import { createLogger, type Logger } from '../log.ts';
import type { SeabuildOptions } from '../options.ts';
import { resolveManifests } from './index.ts';

/** The usage text of `seabuild resolve`. */
export const RESOLVE_USAGE = `Usage: seabuild resolve -f FILE|DIR [-f …] [options]

Builds and pushes every app that a seabuild://PATH image reference in the Kubernetes YAML names
(PATH: the app's folder, relative to the current folder), each once, and prints the YAML with
registry/name@sha256:… in its place; everything else is printed byte for byte as it was.

Example: seabuild resolve -f k8s/ --repo registry.example.com/acme > release.yaml

Options:
  -f, --filename FILE|DIR   manifest file, or folder of *.yaml/*.yml (repeatable)
  --repo PREFIX             push each app as PREFIX/<package name> (default: the app's image.name)
  --insecure-registry       plain HTTP to the registry (a local one)
  --no-verify               skip the smoke run of each image
  --quiet                   print only warnings and errors on stderr
  --debug                   debug output and stack traces

Credentials: SEABUILD_REGISTRY_USERNAME / SEABUILD_REGISTRY_PASSWORD, as for build --push.`;

/** What the resolve command needs of a build: the digest reference it pushed (cli.ts passes `build`, which this module does not import). */
export type PushingBuild = (options: SeabuildOptions & { cwd: string; logger: Logger; keepWorkDir: boolean }) => Promise<{ warnings: Warning[]; publication?: { digestReference: string } }>;

/** Runs `seabuild resolve ARGS`, building each app with `io.build`; returns the exit code. */
export async function runResolveCommand(argv: string[], io: { stdout: (text: string) => void; build: PushingBuild }): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, strict: true, options: {
      filename: { type: 'string', short: 'f', multiple: true }, repo: { type: 'string' }, 'insecure-registry': { type: 'boolean' },
      'no-verify': { type: 'boolean' }, quiet: { type: 'boolean' }, debug: { type: 'boolean' }, help: { type: 'boolean', short: 'h' },
    } });
  } catch (error) {
    throw usageError((error as Error).message.split('\n')[0] ?? 'invalid arguments', 'run seabuild resolve --help');
  }
  const { values } = parsed;
  if (values.help) { io.stdout(`${RESOLVE_USAGE}\n`); return 0; }
  const logger = createLogger({ quiet: Boolean(values.quiet), debug: Boolean(values.debug) });
  const resolved = await resolveManifests({
    files: values.filename ?? [],
    cwd: process.cwd(),
    buildAndPush: async (appDir) => {
      logger.info(`resolve: building ${appDir}`);
      const result = await io.build({
        cwd: appDir,
        push: true,
        ...(values['insecure-registry'] ? { insecureRegistry: true } : {}),
        ...(values['no-verify'] ? { verify: false } : {}),
        ...(values.repo ? { image: { name: `${values.repo.replace(/\/+$/, '')}/${packageBaseName(appDir)}` } } : {}),
        logger,
        keepWorkDir: Boolean(values.debug),
      });
      for (const warning of result.warnings) logger.warn(formatWarning(warning));
      const pushed = result.publication!.digestReference;
      logger.info(`resolve: ${appDir} → ${pushed}`);
      return pushed;
    },
  });
  io.stdout(resolved.text);
  return 0;
}

/** The package name without its scope: `@acme/web` → `web` (what the image is named after). */
function packageBaseName(appDir: string): string {
  const name = (JSON.parse(readFileSync(join(appDir, 'package.json'), 'utf8')) as { name?: string }).name ?? '';
  return name.replace(/^@[^/]+\//, '');
}
