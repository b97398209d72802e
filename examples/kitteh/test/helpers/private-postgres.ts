// A PostgreSQL cluster of one test's own (initdb in a temp folder, run as the postgres user, on a
// free port of 127.0.0.1), so that a test can stop and start it without touching the shared 15/main.
import { execFile } from 'node:child_process';
import { chown, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from '../../../../test/helpers/http.ts';

const run = promisify(execFile);
const BIN = '/usr/lib/postgresql/15/bin';

/** A running private cluster. */
export interface PrivatePostgres {
  url: string;
  stop(): Promise<void>;
  start(): Promise<void>;
  remove(): Promise<void>;
}

const asPostgres = (command: string, args: string[]) => run('runuser', ['-u', 'postgres', '--', join(BIN, command), ...args], { timeout: 60_000 });

/** initdb (trust auth for user app on loopback), then start. */
export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const root = await mkdtemp(join(tmpdir(), 'kitteh-pg-'));
  await chown(root, Number((await run('id', ['-u', 'postgres'])).stdout), Number((await run('id', ['-g', 'postgres'])).stdout));
  const data = join(root, 'data');
  const port = await freePort();
  await asPostgres('initdb', ['-D', data, '-U', 'app', '--auth=trust', '--no-sync']);
  const options = `-p ${port} -k ${root} -c listen_addresses=127.0.0.1 -c fsync=off`;
  const start = async (): Promise<void> => { await asPostgres('pg_ctl', ['-D', data, '-o', options, '-l', join(root, 'log'), '-w', 'start']); };
  const stop = async (): Promise<void> => { await asPostgres('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']); };
  await start();
  return {
    url: `postgres://app@127.0.0.1:${port}/postgres`,
    stop,
    start,
    remove: async () => {
      await stop().catch(() => {});
      await rm(root, { recursive: true, force: true });
    },
  };
}
