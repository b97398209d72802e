// Planning the app's commands from package.json scripts: what each script form becomes, and the
// build errors for the forms an executable cannot run (each names package.json).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { planCommands } from './plan.ts';
import { appCommands, commandsOf, commandWarnings } from './index.ts';
import { splitScript } from './words.ts';
import type { SeabuildError } from '../errors.ts';

test('scripts split as sh would split a simple command; shell syntax is named', () => {
  const table: Array<[string, ReturnType<typeof splitScript>]> = [
    ['knex migrate:latest', { words: ['knex', 'migrate:latest'] }],
    [`typeorm migration:run -d "dist/data source.js"`, { words: ['typeorm', 'migration:run', '-d', 'dist/data source.js'] }],
    [`node x.js 'a b' c\\ d e#f`, { words: ['node', 'x.js', 'a b', 'c d', 'e#f'] }],
    ['npm run build && knex migrate:latest', { shell: '&&' }],
    ['knex migrate:latest | tee log', { shell: '|' }],
    ['NODE_ENV=production knex migrate:latest', { shell: 'the variable assignment NODE_ENV=…' }],
    ['node x.js > out.log', { shell: '>' }],
    ['node $FILE', { shell: '$' }],
    ['node "$FILE"', { shell: '"$" inside double quotes' }],
    ['node migrations/*.js', { shell: '*' }],
    ['node x.js # comment', { shell: '#' }],
    ["node 'x.js", { shell: "an unclosed '" }],
  ];
  for (const [script, expected] of table) assert.deepEqual(splitScript(script), expected, script);
});

async function app(scripts: Record<string, string>, files: Record<string, string> = {}): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'seabuild-commands-'));
  await writeFile(join(root, 'package.json'), JSON.stringify({ name: 'a', main: 'server.js', scripts, dependencies: { pg: '8.16.3' } }));
  for (const [path, text] of Object.entries(files)) {
    await mkdir(join(root, path, '..'), { recursive: true });
    await writeFile(join(root, path), text);
  }
  return root;
}

test('migrate is the first of migrate, db:migrate, migrate:deploy, migration:run; "commands" names others', async () => {
  const root = await app({ 'db:migrate': 'node scripts/migrate.js up', 'migration:run': 'node scripts/other.js', seed: 'node scripts/seed', worker: 'npm run seed -- --fast' }, {
    'scripts/migrate.js': '', 'scripts/other.js': '', 'scripts/seed.ts': '', 'drizzle/meta/_journal.json': '{}', 'drizzle/0000_init.sql': 'select 1',
  });
  try {
    const plans = planCommands(root, { seed: 'seed', worker: 'worker', hello: 'node scripts/other.js --loud' });
    const byName = Object.fromEntries(plans.map((p) => [p.name, p]));
    assert.deepEqual(Object.keys(byName).sort(), ['hello', 'migrate', 'seed', 'worker']);
    assert.equal(byName.migrate!.file, join(root, 'scripts/migrate.js'));
    assert.deepEqual(byName.migrate!.args, ['up']);
    assert.equal(byName.migrate!.origin, 'scripts.db:migrate');
    // drizzle's migrator reads drizzle/ at run time: carried.
    assert.deepEqual(byName.migrate!.carry, [join(root, 'drizzle/0000_init.sql'), join(root, 'drizzle/meta/_journal.json')]);
    assert.equal(byName.seed!.file, join(root, 'scripts/seed.ts'), 'node FILE finds FILE.ts as node finds FILE.js');
    assert.deepEqual([byName.worker!.file, byName.worker!.args], [join(root, 'scripts/seed.ts'), ['--fast']], 'npm run SCRIPT -- ARGS is followed');
    assert.deepEqual([byName.hello!.origin, byName.hello!.args], ['commands.hello', ['--loud']]);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});

test('a bin is its package\'s bin file, with the tool\'s config and migrations and the app\'s driver', async () => {
  const root = await app({ migrate: 'knex migrate:latest --knexfile db/knexfile.js' }, {
    'node_modules/knex/package.json': '{"name":"knex","bin":{"knex":"bin/cli.js"}}', 'node_modules/knex/bin/cli.js': '#!/usr/bin/env node\n',
    'db/knexfile.js': 'module.exports = {}', 'migrations/1_a.js': '', 'seeds/1_s.js': '',
  });
  try {
    await mkdir(join(root, 'node_modules/.bin'));
    await symlink('../knex/bin/cli.js', join(root, 'node_modules/.bin/knex'));
    const [plan] = planCommands(root);
    assert.equal(plan!.file, join(root, 'node_modules/knex/bin/cli.js'));
    assert.deepEqual(plan!.bin, { name: 'knex', packageName: 'knex', esm: false });
    assert.deepEqual(plan!.carry, ['db/knexfile.js', 'migrations/1_a.js', 'seeds/1_s.js'].map((p) => join(root, p)));
    assert.deepEqual(plan!.packages, ['knex', 'pg']);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});

test('forms an executable cannot run are build errors naming package.json', async () => {
  const table: Array<[string, Record<string, string>, Record<string, string>, string]> = [
    ['shell syntax', { migrate: 'npm run build && knex migrate:latest' }, {}, 'COMMAND_NEEDS_SHELL'],
    ['an environment assignment', { migrate: 'NODE_ENV=production node m.js' }, {}, 'COMMAND_NEEDS_SHELL'],
    ['node options', { migrate: 'node -r dotenv/config m.js' }, {}, 'COMMAND_NODE_OPTIONS'],
    ['a missing file', { migrate: 'node scripts/nothere.js' }, {}, 'COMMAND_FILE_NOT_FOUND'],
    ['a bin nobody installed', { migrate: 'sequelize-cli db:migrate' }, {}, 'COMMAND_BIN_NOT_FOUND'],
    ['npm run of no script', { migrate: 'npm run nothere' }, {}, 'COMMAND_SCRIPT_NOT_FOUND'],
    ['prisma', { 'migrate:deploy': 'prisma migrate deploy' }, {}, 'COMMAND_NEEDS_ENGINE'],
    ['a reserved name', { migrate: 'node m.js' }, { version: 'migrate' }, 'COMMAND_NAME_RESERVED'],
  ];
  for (const [why, scripts, commands, code] of table) {
    const root = await app(scripts, { 'm.js': '' });
    try {
      assert.throws(() => planCommands(root, commands), (error: SeabuildError) => error.code === code && error.file === join(root, 'package.json') && error.fix !== undefined, why);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  }
});

test('warnings: a file the command names that does not exist; SQL migrations beside a migrate script', async () => {
  const root = await app({ migrate: 'node scripts/migrate.js -d dist/data-source.js' }, { 'scripts/migrate.js': '', 'sql/0001_a.sql': 'select 1' });
  try {
    const warnings = commandWarnings(planCommands(root), root, join(root, 'sql'));
    assert.deepEqual(warnings.map((w) => [w.code, w.file]), [['COMMAND_FILE_MISSING', join(root, 'package.json')], ['COMMAND_MIGRATE_OVER_SQL', join(root, 'package.json')]]);
    assert.match(warnings[0]!.message, /dist\/data-source\.js/);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});

test('a script that runs the app\'s own entry is ./app serve ARGS; a runApp app\'s dispatcher already answers it', async () => {
  const root = await app({ migrate: 'node src/main.ts migrate', seed: 'node seed.js' }, { 'src/main.ts': '', 'seed.js': '', 'migrations/0001_a.sql': 'select 1' });
  try {
    const plans = commandsOf({ root, entry: join(root, 'src/main.ts'), commands: { seed: 'seed' } });
    const migrate = plans.find((p) => p.name === 'migrate')!;
    assert.deepEqual([migrate.main, migrate.carry, migrate.args], [true, [], ['migrate']]);
    assert.deepEqual(appCommands(plans, root, false).migrate, { entry: 'src/main.ts', args: ['migrate'], script: 'node src/main.ts migrate', main: true });
    assert.deepEqual(Object.keys(appCommands(plans, root, true)), ['seed']);
    assert.deepEqual(commandWarnings(plans, root, join(root, 'migrations')), [], 'its SQL migrations are the app\'s own migrate');
    assert.deepEqual(commandsOf({ root, entry: join(root, 'src/main.ts'), mode: 'cli' }), [], 'a command-line program passes every argument to the app');
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});
