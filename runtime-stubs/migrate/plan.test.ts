import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { parseMigrateArgs } from './index.ts';
import { compareVersions, planMigrations, selectPending } from './plan.ts';
import { lineAtPosition, MIGRATION_LOCK_KEY } from './runner.ts';
import type { EmbeddedMigration } from './types.ts';

const m = (version: string, sha256 = `sha-${version}`): EmbeddedMigration => ({
  version, name: `n${version}`, file: `${version}_n${version}.sql`, sha256, sql: '', transactional: true, sizeBytes: 0,
});
const row = (version: string, checksum = `sha-${version}`) => ({ version, name: `n${version}`, checksum, appliedAt: new Date(0) });

describe('planMigrations', () => {
  it('marks pending, applied, changed and missing, ordered by version', () => {
    const entries = planMigrations([m('0001'), m('0002', 'edited'), m('0004')], [row('0001'), row('0002'), row('0003')]);
    assert.deepEqual(entries.map((e) => [e.version, e.state]), [['0001', 'applied'], ['0002', 'changed'], ['0003', 'missing'], ['0004', 'pending']]);
  });

  it('selects pending migrations up to --to, including one older than an applied migration', () => {
    const entries = planMigrations([m('0001'), m('0002'), m('0003'), m('0004')], [row('0001'), row('0003')]);
    assert.deepEqual(selectPending(entries).map((e) => e.version), ['0002', '0004']);
    assert.deepEqual(selectPending(entries, '0003').map((e) => e.version), ['0002']);
  });

  it('compares versions as integers of any length', () => {
    const sorted = ['20240101000000', '10', '0009', '1', '00000000000000000000000000000002'].sort(compareVersions);
    assert.deepEqual(sorted, ['1', '00000000000000000000000000000002', '0009', '10', '20240101000000']);
    assert.equal(compareVersions('0007', '7'), 0);
  });
});

describe('parseMigrateArgs', () => {
  const migrations = [m('0001'), m('20240101000000')];
  it('accepts status, --dry-run, --to V and --to=V (matched as an integer)', () => {
    assert.deepEqual(parseMigrateArgs([], migrations), { command: 'up', dryRun: false });
    assert.deepEqual(parseMigrateArgs(['status'], migrations), { command: 'status', dryRun: false });
    assert.deepEqual(parseMigrateArgs(['--dry-run', '--to', '1'], migrations), { command: 'up', dryRun: true, toVersion: '0001' });
    assert.deepEqual(parseMigrateArgs(['--to=20240101000000'], migrations), { command: 'up', dryRun: false, toVersion: '20240101000000' });
  });

  it('returns a message for anything else', () => {
    for (const args of [['--bogus'], ['--dry-run', 'status'], ['--to', 'latest'], ['status', 'extra']]) {
      assert.equal(typeof parseMigrateArgs(args, migrations), 'string', args.join(' '));
    }
  });
});

describe('lineAtPosition', () => {
  it('maps a 1-based character offset to a 1-based line', () => {
    const text = 'SELECT 1;\n\n  SELECT nope;';
    assert.equal(lineAtPosition(text, 1), 1);
    assert.equal(lineAtPosition(text, 10), 1, 'the newline belongs to the line it ends');
    assert.equal(lineAtPosition(text, 21), 3);
    assert.equal(lineAtPosition('😺\nx', 3), 2, 'an astral character counts once');
  });

  it('gives undefined without a usable position', () => {
    for (const position of [NaN, 0, -1, 1.5, 99]) assert.equal(lineAtPosition('abc', position), undefined);
  });
});

describe('MIGRATION_LOCK_KEY', () => {
  it("is the first 8 bytes of sha256('seabuild_migrations') as a signed int64", () => {
    const digest = createHash('sha256').update('seabuild_migrations').digest();
    assert.equal(MIGRATION_LOCK_KEY, digest.readBigInt64BE(0).toString());
  });
});
