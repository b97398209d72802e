// Kitteh as a seabuild app: what `runApp` needs (see seabuild/runtime's AppModule contract).
import { mkdir } from 'node:fs/promises';
import type { RequestListener } from 'node:http';
import sharp from 'sharp';
import type { AppModule, CommandContext, ServeContext, SqlClient } from 'seabuild/runtime';
import { envSpec, readConfig } from './config.ts';
import { assertMigrated, openDatabase, openEmbedded } from './db.ts';
import type { PickIndex } from './names.ts';
import { createHandler } from './routes.ts';
import { runSelftest } from './selftest.ts';
import { sweepStaging } from './store.ts';

// A staging folder this old belongs to no live request (uploads are answered in seconds).
const STALE_STAGING_MS = 60 * 60 * 1000;

const log = (line: string): void => {
  process.stderr.write(`${line}\n`);
};

/** Starts Kitteh on the configured database; `pickIndex` lets tests force name collisions. */
export async function serveKitteh(ctx: ServeContext, pickIndex?: PickIndex): Promise<RequestListener> {
  const config = readConfig(ctx.env);
  // libvips' operation cache helps repeated work on one input; every upload is a new input.
  sharp.cache(false);
  // One libvips thread per picture: an upload runs four pipelines at once on libuv's pool, and two
  // uploads in flight already fill two cores (measured on the fixtures and on 24 MP photos: the
  // same throughput with 2 threads). sharp picks 1 itself only where it detects glibc without
  // jemalloc and MALLOC_ARENA_MAX unset; saying it here makes every deployment behave alike.
  sharp.concurrency(1);
  await mkdir(config.uploadDir, { recursive: true });
  const swept = await sweepStaging(config.uploadDir, STALE_STAGING_MS);
  if (swept > 0) log(`removed ${swept} stale upload(s) from ${config.uploadDir}/.staging`);
  const db = await openDatabase(config);
  try {
    await assertMigrated(db);
  } catch (error) {
    await db.close();
    throw error;
  }
  log(`database: ${db.kind === 'pglite' ? `embedded PGlite in ${config.dataDir}/pgdata` : 'PostgreSQL (DATABASE_URL)'}; uploads in ${config.uploadDir}`);
  const handler = createHandler({ config, db, assets: ctx.assets, log, ...(pickIndex ? { pickIndex } : {}) });
  // Close the database once the runtime has stopped taking requests and the last one has ended.
  let inFlight = 0;
  let closing: Promise<void> | undefined;
  const closeWhenIdle = (): void => {
    if (ctx.signal.aborted && inFlight === 0) closing ??= db.close().catch((error: Error) => log(`database close: ${error.message}`));
  };
  ctx.signal.addEventListener('abort', closeWhenIdle, { once: true });
  return (req, res) => {
    inFlight++;
    res.on('close', () => {
      inFlight--;
      closeWhenIdle();
    });
    handler(req, res);
  };
}

/** The embedded database `migrate` uses when DATABASE_URL is unset. */
async function openMigrateDatabase(ctx: CommandContext): Promise<SqlClient> {
  return openEmbedded(readConfig(ctx.env).dataDir);
}

async function selftest(): Promise<void> {
  process.stdout.write(`${await runSelftest()}\n`);
}

/** The module `runApp` runs. */
export const kitteh: AppModule = {
  serve: (ctx) => serveKitteh(ctx),
  env: envSpec,
  database: openMigrateDatabase,
  selftest,
};
