// `--load`: the image archive into the local engine under its name and tag, as buildx --load and ko
// --local do. Docker when its daemon answers (DOCKER_HOST or the default socket), else podman; or the
// engine named. `docker load` takes the archive's docker manifest.json (every RepoTag), `podman load`
// its OCI index (the full reference in org.opencontainers.image.ref.name): src/image/archive.ts.
import { execFile } from 'node:child_process';
import { SeabuildError } from '../errors.ts';

export type LoadEngine = 'docker' | 'podman';

/** What --load did. */
export interface Loaded {
  engine: LoadEngine;
  /** The references the engine now has (as the archive names them). */
  references: string[];
}

interface Run { exitCode: number; output: string; missing: boolean }

function run(command: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs: number): Promise<Run> {
  return new Promise((resolve) => {
    execFile(command, args, { env, timeout: timeoutMs, maxBuffer: 16 << 20 }, (error, stdout, stderr) => {
      const code = (error as NodeJS.ErrnoException | null)?.code;
      resolve({ exitCode: error ? (typeof code === 'number' ? code : 1) : 0, output: `${stdout}${stderr}`.trim(), missing: code === 'ENOENT' });
    });
  });
}

/** Loads `archivePath` into `choice` (auto: docker when its daemon answers, else podman). */
export async function loadImage(archivePath: string, references: readonly string[], choice: 'auto' | LoadEngine, env: NodeJS.ProcessEnv): Promise<Loaded> {
  const tried: string[] = [];
  for (const engine of choice === 'auto' ? (['docker', 'podman'] as const) : [choice]) {
    // `docker info` fails fast when no daemon answers; `podman info` checks its storage the same way.
    const info = await run(engine, ['info'], env, 20_000);
    if (info.exitCode !== 0) {
      tried.push(`${engine} (${info.missing ? 'not installed' : firstLine(info.output) || `exit ${info.exitCode}`})`);
      continue;
    }
    const loaded = await run(engine, ['load', '-i', archivePath], env, 600_000);
    if (loaded.exitCode !== 0) {
      throw new SeabuildError({ code: 'LOAD_FAILED', message: `${engine} load failed: ${firstLine(loaded.output) || `exit ${loaded.exitCode}`}`, file: archivePath, fix: `run "${engine} load -i ${archivePath}" to see the whole message; the archive itself is complete`, cause: loaded.output });
    }
    return { engine, references: [...references] };
  }
  throw new SeabuildError({
    code: 'LOAD_NO_ENGINE',
    message: `no container engine to load the image into: tried ${tried.join(', ')}`,
    file: archivePath,
    fix: choice === 'auto'
      ? 'start the docker daemon (or point DOCKER_HOST at one), or install podman; or build without --load and load the archive later'
      : `make ${choice} work here (${choice} info must succeed), choose the other engine with --load=${choice === 'docker' ? 'podman' : 'docker'}, or build without --load`,
  });
}

function firstLine(text: string): string {
  return text.split('\n').find((line) => line.trim() !== '')?.trim() ?? '';
}
