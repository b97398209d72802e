// Issue 23: `./app migrate` runs the app's own migration tool, and the smoke run boots an app that
// connects to its database at start. Real, pinned tools (test/corpus-migrate, a lockfile each) on
// PostgreSQL 15: the executable's migrate (twice: the second is a no-op) and service against
// `npm run migrate` and `node ENTRY`, each on a database of its own.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from '../src/index.ts';
import { node24 } from './helpers/fixture.ts';
import { answerOf, migrateTestState, nodeEnv, runTo, schemaOf } from './helpers/migrate-apps.ts';

const env = { SOURCE_DATE_EPOCH: '1700000000' };
const state = migrateTestState();
const database = state.database;

before(state.start);
after(state.cleanUp);

const tools = [
  { folder: 'knex-pg', entry: 'server.js', script: 'migrate', upToDate: /Already up to date/ },
  { folder: 'node-pg-migrate', entry: 'server.js', script: 'migrate', upToDate: /No migrations to run!/ },
  { folder: 'drizzle-pg', entry: 'src/server.js', script: 'migrate', upToDate: /migrations applied/ },
  { folder: 'typeorm-pg', entry: 'server.js', script: 'migration:run', upToDate: /No migrations are pending/ },
  { folder: 'sequelize-pg', entry: 'server.js', script: 'db:migrate', upToDate: /No migrations were executed, database schema was already up to date/ },
];

for (const tool of tools) {
  test(`${tool.folder} (npm run ${tool.script}): a verified boot against PostgreSQL, ./app migrate twice, the service; as npm run migrate and node ENTRY`, async () => {
    const dir = await state.app(tool.folder);
    const [verifyDb, appDb, npmDb] = [await database(), await database(), await database()];
    // The smoke run reaches the database named in verify.env, migrates it with the app's tool, then boots the service.
    const built = await build({ cwd: dir, env, verify: { env: { DATABASE_URL: verifyDb.url } } });
    const platform = built.platforms[0]!;
    assert.equal(platform.verification?.boot?.status, 200);
    assert.deepEqual((await schemaOf(verifyDb.url)).cats, ['SublimeDandelionUkrainianLevkoy']);

    const exe = platform.executable.path;
    const first = await runTo(exe, ['migrate'], '/', { DATABASE_URL: appDb.url });
    assert.equal(first.exitCode, 0, first.output);
    const second = await runTo(exe, ['migrate'], '/', { DATABASE_URL: appDb.url });
    assert.equal(second.exitCode, 0, second.output);
    assert.match(second.output, tool.upToDate);
    const npm = await runTo('npm', ['run', tool.script], dir, nodeEnv({ DATABASE_URL: npmDb.url }));
    assert.equal(npm.exitCode, 0, npm.output);
    assert.deepEqual(await schemaOf(appDb.url), await schemaOf(npmDb.url));

    const fromExecutable = await answerOf(exe, [], { DATABASE_URL: appDb.url });
    const fromNode = await answerOf(node24, [join(dir, tool.entry)], { DATABASE_URL: npmDb.url });
    assert.equal(fromExecutable, fromNode);
    assert.equal(fromExecutable, '{"cats":["SublimeDandelionUkrainianLevkoy"]}');
  });
}

test('knex + sqlite3 (a native addon compiled for Node 24): ./app migrate twice, the service; as npm run migrate and node ENTRY', async () => {
  const dir = await state.app('knex-sqlite3');
  const data = await mkdtemp(join(tmpdir(), 'seabuild-sqlite-'));
  try {
    // The boot would open a database nobody migrated (a file is not forwarded): the commands and the service are checked here.
    const built = await build({ cwd: dir, env, image: false });
    const exe = built.platforms[0]!.executable.path;
    const appFile = { DATABASE_FILE: join(data, 'app.sqlite3') };
    const first = await runTo(exe, ['migrate'], '/', appFile);
    assert.equal(first.exitCode, 0, first.output);
    assert.match(first.output, /Batch 1 run: 2 migrations/);
    const second = await runTo(exe, ['migrate'], '/', appFile);
    assert.equal(second.exitCode, 0, second.output);
    assert.match(second.output, /Already up to date/);
    const npmFile = { DATABASE_FILE: join(data, 'npm.sqlite3') };
    const npm = await runTo('npm', ['run', 'migrate'], dir, nodeEnv(npmFile));
    assert.equal(npm.exitCode, 0, npm.output);
    const fromExecutable = await answerOf(exe, [], appFile);
    assert.equal(fromExecutable, await answerOf(node24, [join(dir, 'server.js')], npmFile));
    assert.equal(fromExecutable, '{"cats":["SublimeDandelionUkrainianLevkoy"]}');
  } finally {
    await rm(data, { recursive: true, force: true });
  }
});
