import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readReport } from './file.ts';

test('readReport refuses what is not a report of this schema version, naming the file', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'seabuild-report-file-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const cases: Array<[string, string | undefined, string]> = [
    ['missing.json', undefined, 'REPORT_NOT_FOUND'],
    ['not-json.json', '{"schemaVersion": 1,', 'REPORT_INVALID'],
    ['no-version.json', '{"components": []}', 'REPORT_INVALID'],
    ['future.json', '{"schemaVersion": 2}', 'REPORT_SCHEMA_UNSUPPORTED'],
    ['partial.json', '{"schemaVersion": 1, "components": []}', 'REPORT_INVALID'],
  ];
  for (const [name, content, code] of cases) {
    const file = join(dir, name);
    if (content !== undefined) await writeFile(file, content);
    await assert.rejects(readReport(file), (error: { code?: string; file?: string }) => error.code === code && error.file === file, name);
  }
});
