import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { splitSqlStatements } from './sql-statements.ts';

const words = (sql: string) => splitSqlStatements(sql).map((s) => s.words.join(' '));

describe('splitSqlStatements', () => {
  const cases: Array<[description: string, sql: string, expected: string[]]> = [
    ['plain statements', 'CREATE TABLE a (id int);\nSELECT 1;', ['create table', 'select']],
    ['no trailing semicolon, empty statements skipped', ';;SELECT 1;; \n', ['select']],
    ['line and nested block comments', '-- BEGIN;\n/* a /* b; */ COMMIT; */ SELECT 1', ['select']],
    ['single quotes with doubled quotes', "SELECT 'a'';BEGIN;'; SELECT 2", ['select', 'select']],
    ['E-strings with backslash escapes', "SELECT E'\\';COMMIT;'; END", ['select', 'end']],
    ['quoted identifiers', 'SELECT 1 AS "x;y""z;"; COMMIT', ['select as', 'commit']],
    ['dollar quotes, tagged and not', 'DO $$ BEGIN; END $$; DO $f$ ; $$ ; $f$; SELECT 1', ['do', 'do', 'select']],
    ['$1 and identifiers with $ are not dollar quotes', 'SELECT a$b$ FROM t WHERE x = $1; BEGIN', ['select a$b$', 'begin']],
    ['BEGIN ATOMIC … END bodies', 'CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; SELECT 2; END; COMMIT', ['create function', 'commit']],
    ['CASE … END inside a statement', 'SELECT CASE WHEN true THEN 1 END; BEGIN', ['select case', 'begin']],
    ['a leading BEGIN is a transaction, not a block', 'BEGIN; SELECT 1; COMMIT;', ['begin', 'select', 'commit']],
  ];
  for (const [description, sql, expected] of cases) {
    it(description, () => assert.deepEqual(words(sql), expected));
  }

  it('reports the 1-based line of each statement', () => {
    assert.deepEqual(splitSqlStatements('\n-- c\nSELECT 1;\n\n  SELECT\n2;').map((s) => s.line), [3, 5]);
  });
});
