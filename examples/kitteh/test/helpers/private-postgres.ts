// A PostgreSQL cluster of one test's own (test/helpers/postgres.ts createTemporaryCluster: initdb
// in a temp folder, a free loopback port), which the test may stop and start again under load
// without touching the shared 15/main.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createTemporaryCluster } from '../../../../test/helpers/postgres.ts';

const run = promisify(execFile);

/** A running private cluster. */
export interface PrivatePostgres {
  url: string;
  /** A fast shutdown (pg_ctl -m fast): sessions are ended, open transactions rolled back. */
  stop(): Promise<void>;
  /** Starts it again and waits until it accepts connections. */
  start(): Promise<void>;
  remove(): Promise<void>;
}

/** Creates and starts the cluster; resolves once it accepts connections. */
export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const cluster = await createTemporaryCluster();
  const pgCtl = (args: string[]) => run('runuser', ['-u', 'postgres', '--', '/usr/lib/postgresql/15/bin/pg_ctl', '-D', join(cluster.dir, 'data'), '-l', join(cluster.dir, 'log'), ...args], { timeout: 60_000 });
  await pgCtl(['-w', 'start']);
  return {
    url: `postgres://postgres@127.0.0.1:${cluster.port}/postgres`,
    stop: async () => { await pgCtl(['-m', 'fast', '-w', 'stop']); },
    start: async () => { await pgCtl(['-w', 'start']); },
    remove: () => cluster.stop(),
  };
}
