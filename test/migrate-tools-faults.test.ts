// Issue 23's bad input and the image: knex + pg (test/corpus-migrate/knex-pg), whose service connects
// to PostgreSQL before it listens. A boot without its database fails naming it, and the fix the error
// gives works; `docker run IMAGE migrate` migrates; a tool's own failure keeps its exit code; a
// script that needs a shell is a build error; SQL migrations beside the tool are warned about.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { build } from '../src/index.ts';
import type { SeabuildError } from '../src/errors.ts';
import { requireTools, startDockerd } from './helpers/engines.ts';
import { migrateTestState, nodeEnv, runTo, schemaOf } from './helpers/migrate-apps.ts';

const env = { SOURCE_DATE_EPOCH: '1700000000' };
const state = migrateTestState();
const database = state.database;
let dir: string;
let built: Awaited<ReturnType<typeof build>>;

before(async () => {
  await state.start();
  dir = await state.app('knex-pg');
});
after(state.cleanUp);

test('a boot without its database fails naming 127.0.0.1:5432 and --verify-env; following the fix builds', async () => {
  await assert.rejects(build({ cwd: dir, env }), (error: SeabuildError) => {
    assert.equal(error.code, 'VERIFY_SERVER_UNREACHABLE');
    assert.match(error.file ?? '', /migrate-knex-pg$/);
    assert.match(error.message, /could not reach 127\.0\.0\.1:5432/);
    assert.match(error.fix ?? '', /--verify-env DATABASE_URL=postgres:\/\//);
    return true;
  });
  const db = await database();
  built = await build({ cwd: dir, env, verify: { env: { DATABASE_URL: db.url } } });
  assert.equal(built.platforms[0]!.verification?.boot?.status, 200);
});

test('a verify.env database the build machine cannot reach: the error names the server', async () => {
  const unreachable = 'postgres://app:app@127.0.0.1:9/none';
  await assert.rejects(build({ cwd: dir, env, verify: { env: { DATABASE_URL: unreachable } } }), (error: SeabuildError) => {
    assert.equal(error.code, 'VERIFY_SERVER_UNREACHABLE');
    assert.match(error.message, /migrate command could not reach its database: .*127\.0\.0\.1:9/);
    return true;
  });
});

test('docker run IMAGE migrate, twice, against PostgreSQL; the same schema as npm run migrate', async (t) => {
  if (!requireTools(t, ['dockerd', 'docker'], 'docker run IMAGE migrate')) return;
  const docker = await startDockerd();
  try {
    const loaded = await docker.docker(['load', '-i', built.platforms[0]!.image!.archive.path]);
    assert.equal(loaded.exitCode, 0, loaded.stderr);
    const [imageDb, npmDb] = [await database(), await database()];
    const reference = 'migrate-knex-pg:1.0.0';
    const first = await docker.docker(['run', '--rm', '--network', 'host', '--read-only', '-e', `DATABASE_URL=${imageDb.url}`, reference, 'migrate']);
    assert.equal(first.exitCode, 0, first.stderr);
    assert.match(first.stdout, /Batch 1 run: 2 migrations/);
    const second = await docker.docker(['run', '--rm', '--network', 'host', '--read-only', '-e', `DATABASE_URL=${imageDb.url}`, reference, 'migrate']);
    assert.equal(second.exitCode, 0, second.stderr);
    assert.match(second.stdout, /Already up to date/);
    const npm = await runTo('npm', ['run', 'migrate'], dir, nodeEnv({ DATABASE_URL: npmDb.url }));
    assert.equal(npm.exitCode, 0, npm.output);
    assert.deepEqual(await schemaOf(imageDb.url), await schemaOf(npmDb.url));
  } finally {
    await docker.stop();
  }
});

test('a knexfile missing at run time: the exit code and error of npm run migrate', async () => {
  const db = await database();
  const exe = built.platforms[0]!.executable.path;
  // knex falls back to the knexfile it finds from the working directory: a folder that does not exist has none.
  const missing = ['--knexfile', '/nothere/knexfile.js'];
  const fromExecutable = await runTo(exe, ['migrate', ...missing], '/', { DATABASE_URL: db.url });
  const fromNpm = await runTo('npm', ['run', 'migrate', '--', ...missing], dir, nodeEnv({ DATABASE_URL: db.url }));
  assert.notEqual(fromNpm.exitCode, 0);
  assert.equal(fromExecutable.exitCode, fromNpm.exitCode);
  const message = fromNpm.output.split('\n').find((line) => line.startsWith('Error:'));
  assert.ok(message && fromExecutable.output.includes(message.trim()), `${fromExecutable.output}\n---\n${fromNpm.output}`);
});

test('a migration that fails half way: the tool\'s error and exit code; SQL migrations beside the tool are warned about', async () => {
  await writeFile(join(dir, 'migrations/20240103000000_broken.js'), "exports.up = async (knex) => { await knex.schema.createTable('half', (t) => t.increments('id')); throw new Error('broken on purpose'); };\nexports.down = () => {};\n");
  await mkdir(join(dir, 'sql'));
  await writeFile(join(dir, 'sql/0001_extra.sql'), 'CREATE TABLE extra (id int);\n');
  const rebuilt = await build({ cwd: dir, env, image: false, migrations: 'sql' });
  assert.ok(rebuilt.warnings.some((w) => w.code === 'COMMAND_MIGRATE_OVER_SQL' && w.file === join(dir, 'package.json')), JSON.stringify(rebuilt.warnings));
  const [appDb, npmDb] = [await database(), await database()];
  const fromExecutable = await runTo(rebuilt.platforms[0]!.executable.path, ['migrate'], '/', { DATABASE_URL: appDb.url });
  const fromNpm = await runTo('npm', ['run', 'migrate'], dir, nodeEnv({ DATABASE_URL: npmDb.url }));
  assert.notEqual(fromNpm.exitCode, 0);
  assert.equal(fromExecutable.exitCode, fromNpm.exitCode);
  assert.match(fromExecutable.output, /broken on purpose/);
  assert.deepEqual(await schemaOf(appDb.url), await schemaOf(npmDb.url));
});

test('a migrate script that needs a shell is a build error naming package.json and the form that works', async () => {
  await assert.rejects(build({ cwd: dir, env, image: false, commands: { migrate: 'knex migrate:latest && knex seed:run' } }), (error: SeabuildError) => {
    assert.equal(error.code, 'COMMAND_NEEDS_SHELL');
    assert.equal(error.file, join(dir, 'package.json'));
    assert.match(error.fix ?? '', /node FILE ARGS/);
    return true;
  });
});
