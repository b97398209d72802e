// `--context DIR`: the rootfs as files plus Dockerfile.scratch with the app's values, so that
// `docker build -f DIR/Dockerfile.scratch DIR` makes the same image for people who build with Docker.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { immediateOutputs, type OutputWriter } from '../staged-outputs.ts';
import { SEABUILD_ROOT } from '../package-root.ts';
import type { RuntimeConfig } from './image.ts';
import { writeRootfsToDir, type Rootfs } from '../rootfs/index.ts';

export const dockerfileTemplate = join(SEABUILD_ROOT, 'Dockerfile.scratch');

/** Writes DIR/rootfs (owners and modes exact when run as root) and DIR/Dockerfile.scratch. */
export async function writeDockerContext(input: { dir: string; rootfs: Rootfs; config: RuntimeConfig; outputs?: OutputWriter }): Promise<void> {
  const outputs = input.outputs ?? immediateOutputs;
  await outputs.replaceDir(join(input.dir, 'rootfs'), (dir) => writeRootfsToDir(input.rootfs, dir));
  const dockerfile = renderDockerfile(await readFile(dockerfileTemplate, 'utf8'), input.config);
  await outputs.write(join(input.dir, 'Dockerfile.scratch'), (temp) => writeFile(temp, dockerfile, { mode: 0o644 }));
}

/** Fills the template's ARG defaults and app-specific lines from the image's runtime config. */
export function renderDockerfile(template: string, config: RuntimeConfig): string {
  const labels = config.labels ?? {};
  const { PORT: port, PATH: _defaultPath, ...otherEnv } = config.env ?? {};
  // A command-line program's image has no PORT, ports, healthcheck or default command.
  const service = port !== undefined;
  const args: Record<string, string | undefined> = {
    TITLE: labels['org.opencontainers.image.title'],
    VERSION: labels['org.opencontainers.image.version'],
    CREATED: labels['org.opencontainers.image.created'],
    REVISION: labels['org.opencontainers.image.revision'],
    SOURCE: labels['org.opencontainers.image.source'],
    PORT: port,
  };
  const appPath = config.entrypoint?.[0] ?? '/app';
  const quote = (value: string): string => JSON.stringify(value);
  return template
    .split('\n')
    .flatMap((line) => {
      const arg = /^ARG (\w+)=/.exec(line);
      if (arg && arg[1]! in args) return args[arg[1]!] === undefined ? [] : [`ARG ${arg[1]}=${quote(args[arg[1]!]!)}`];
      const label = /^LABEL \S+=\$(\w+)$/.exec(line);
      if (label && label[1]! in args && args[label[1]!] === undefined) return [];
      if (line === '# seabuild:env') return Object.keys(otherEnv).sort().map((name) => `ENV ${name}=${quote(otherEnv[name]!)}`);
      if (line === 'EXPOSE $PORT') return (config.exposedPorts ?? [Number(port)]).map((p) => `EXPOSE ${p}`);
      if (!service && (line === 'ENV PORT=$PORT' || line.startsWith('HEALTHCHECK ') || line.startsWith('CMD '))) return [];
      if (!config.healthcheck && line.startsWith('HEALTHCHECK ')) return [];
      return [line.replaceAll('"/app"', quote(appPath))];
    })
    .join('\n');
}
