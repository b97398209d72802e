import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SeabuildError } from '../errors.ts';
import { collectMigrations } from './migrations.ts';

const fixtures = join(import.meta.dirname, '../../test/fixtures/migrations');

describe('collectMigrations', () => {
  it('reads a folder: versions, names, sha256 of the bytes, sizes, and the no-transaction marker', async () => {
    const set = await collectMigrations(join(fixtures, 'valid'));
    assert.deepEqual(set.migrations.map((m) => [m.version, m.name, m.file, m.transactional]), [
      ['0001', 'create_users', '0001_create_users.sql', true],
      ['0002', 'add_email', '0002_add_email.sql', true],
      ['0003', 'create_posts', '0003_create_posts.sql', true],
      ['0004', 'index_users_email', '0004_index_users_email.sql', false],
    ]);
    const bytes = await readFile(join(fixtures, 'valid', '0002_add_email.sql'));
    const second = set.migrations[1]!;
    assert.equal(second.sha256, createHash('sha256').update(bytes).digest('hex'));
    assert.equal(second.sql, bytes.toString('utf8'));
    assert.equal(second.sizeBytes, bytes.length);
    assert.equal(set.totalBytes, set.migrations.reduce((sum, m) => sum + m.sizeBytes, 0));
    assert.equal(set.dir, join(fixtures, 'valid'));
  });

  it('orders versions as integers of any length, ignoring README.md and dot-files', async () => {
    const set = await collectMigrations(join(fixtures, 'ordering'));
    assert.deepEqual(set.migrations.map((m) => m.file), ['0002_a.sql', '9_b.sql', '10_c.sql', '20240101120000_d.sql']);
  });

  it('accepts the marker after other leading comments and with CRLF line ends, nowhere else', async () => {
    const set = await collectMigrations(join(fixtures, 'markers'));
    assert.deepEqual(set.migrations.map((m) => m.transactional), [false, false, true]);
  });

  it('does not mistake quoted, commented or function-body BEGIN/COMMIT/semicolons for statements', async () => {
    const set = await collectMigrations(join(fixtures, 'lexer-ok'));
    assert.equal(set.migrations.length, 2);
  });

  it('gives an empty set for an empty folder', async () => {
    assert.deepEqual(await collectMigrations(join(fixtures, 'empty')), { migrations: [], dir: join(fixtures, 'empty'), totalBytes: 0 });
  });

  const failures: Array<{ description: string; folder: string; code: string; file: string; line?: number }> = [
    { description: 'a dash instead of an underscore', folder: 'bad-name-dash', code: 'MIGRATION_NAME_INVALID', file: '001-init.sql' },
    { description: 'no version', folder: 'bad-name-no-version', code: 'MIGRATION_NAME_INVALID', file: 'init.sql' },
    { description: 'a down migration', folder: 'bad-name-down', code: 'MIGRATION_NAME_INVALID', file: '0001_users.down.sql' },
    { description: 'an upper-case .SQL', folder: 'bad-name-upper-ext', code: 'MIGRATION_NAME_INVALID', file: '0001_users.SQL' },
    { description: 'two files with the same integer version', folder: 'duplicate', code: 'MIGRATION_VERSION_DUPLICATE', file: '1_b.sql' },
    { description: 'a misspelt marker', folder: 'marker-unknown', code: 'MIGRATION_MARKER_UNKNOWN', file: '0001_index.sql', line: 1 },
    { description: 'a marker after the first statement', folder: 'marker-misplaced', code: 'MIGRATION_MARKER_MISPLACED', file: '0001_index.sql', line: 2 },
    { description: 'BEGIN/COMMIT inside a transactional migration', folder: 'transaction-control', code: 'MIGRATION_TRANSACTION_CONTROL', file: '0001_begin.sql', line: 1 },
    { description: 'two statements in a no-transaction migration', folder: 'no-transaction-multi', code: 'MIGRATION_NO_TRANSACTION_MULTIPLE_STATEMENTS', file: '0001_indexes.sql', line: 4 },
    { description: 'a file that is not UTF-8', folder: 'not-utf8', code: 'MIGRATION_NOT_UTF8', file: '0001_latin1.sql' },
  ];
  for (const failure of failures) {
    it(`fails the build on ${failure.description}, naming the file`, async () => {
      const dir = join(fixtures, failure.folder);
      await assert.rejects(collectMigrations(dir), (error: unknown) => {
        assert.ok(error instanceof SeabuildError);
        assert.equal(error.code, failure.code);
        assert.equal(error.file, join(dir, failure.file));
        assert.equal(error.line, failure.line);
        assert.ok(error.fix, 'every failure says how to fix it');
        return true;
      });
    });
  }

  it('names a dangling symlink and skips a linked folder', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'seabuild-migrations-'));
    try {
      await mkdir(join(dir, 'old.sql'));
      await symlink(join(dir, 'old.sql'), join(dir, 'linked-folder.sql'));
      assert.deepEqual((await collectMigrations(dir)).migrations, []);
      await symlink(join(dir, 'gone.sql'), join(dir, '0001_gone.sql'));
      await assert.rejects(collectMigrations(dir), { code: 'MIGRATION_UNREADABLE', file: join(dir, '0001_gone.sql') });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('fails on a missing folder and on a file given as the folder', async () => {
    const missing = join(fixtures, 'no-such-folder');
    await assert.rejects(collectMigrations(missing), { code: 'MIGRATIONS_DIR_NOT_FOUND', file: missing });
    const file = join(fixtures, 'README.md');
    await assert.rejects(collectMigrations(file), { code: 'MIGRATIONS_DIR_NOT_A_DIRECTORY', file });
  });
});
