// Cat names: the word lists, uniqueness by the database constraint with a retry on collision, and
// cleanup when the database refuses the row — on PGlite and PostgreSQL 15, Kitteh in this process
// so that the name picker can be forced.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestDatabase, ensurePostgres, type TestDatabase } from '../../../test/helpers/postgres.ts';
import { listStoredFiles } from '../src/store.ts';
import { generateName, isNameShaped, nameCount } from '../src/names.ts';
import { adjectives, breeds, colours } from '../src/words.ts';
import { readFixture } from './helpers/fixtures.ts';
import { makeDirs, runKitteh, startInProcess, upload, type Dirs, type InProcess } from './helpers/kitteh.ts';

describe('word lists', () => {
  for (const [title, list] of [['adjectives', adjectives], ['colours', colours], ['breeds', breeds]] as const) {
    it(`${title}: at least 60 distinct PascalCase words`, () => {
      assert.ok(list.length >= 60, `${list.length} words`);
      assert.equal(new Set(list).size, list.length, 'duplicates');
      for (const word of list) assert.match(word, /^[A-Z][a-z]+(?:[A-Z][a-z]*)*$/);
    });
  }

  it('can make the article\'s example and only name-shaped names', () => {
    assert.ok(adjectives.includes('Sublime') && colours.includes('Dandelion') && breeds.includes('UkrainianLevkoy'));
    assert.equal(nameCount, adjectives.length * colours.length * breeds.length);
    for (let i = 0; i < 200; i++) assert.ok(isNameShaped(generateName()));
  });
});

const postgres = await ensurePostgres();

for (const backend of ['pglite', 'postgres'] as const) {
  const skip = backend === 'postgres' && !postgres.ok ? postgres.reason : false;
  describe(`name collisions and failed inserts, ${backend}`, { skip }, () => {
    let dirs: Dirs;
    let database: TestDatabase | undefined;
    let env: Record<string, string>;

    before(async () => {
      dirs = await makeDirs();
      env = { ...dirs.env };
      if (backend === 'postgres') {
        database = await createTestDatabase();
        env.DATABASE_URL = database.url;
      }
      await runKitteh(['migrate'], env);
    });
    after(async () => {
      await database?.drop();
      await dirs?.remove();
    });

    it('retries with another name when the UNIQUE constraint reports a collision', async () => {
      // Draws 0–5 pick index 0 (two tries at the same name), later draws index 1.
      let draws = 0;
      const app = await startInProcess(env, () => (draws++ < 6 ? 0 : 1));
      try {
        const first = await upload(app.port, readFixture('320x240.jpg'), 'a.jpg');
        const second = await upload(app.port, readFixture('320x240.jpg'), 'b.jpg');
        assert.equal(first.location, `/${adjectives[0]}${colours[0]}${breeds[0]}`);
        assert.equal(second.location, `/${adjectives[1]}${colours[1]}${breeds[1]}`);
        assert.equal(draws, 9, 'three draws per try: one try, then two');
      } finally {
        await app.stop();
      }
    });

    it('answers 503 when every try collides, keeping nothing', async () => {
      const app = await startInProcess(env, () => 0);
      try {
        const before = await listStoredFiles(dirs.uploadDir);
        const answer = await upload(app.port, readFixture('concert.jpg'), 'c.jpg');
        assert.equal(answer.status, 503);
        assert.equal(answer.json().error.code, 'names_exhausted');
        assert.deepEqual(await listStoredFiles(dirs.uploadDir), before);
      } finally {
        await app.stop();
      }
    });

    it('removes the stored files when the database refuses the row (500, nothing left behind)', async () => {
      await withTrigger(env, database, async (app) => {
        const before = await listStoredFiles(dirs.uploadDir);
        const answer = await upload(app.port, readFixture('Landscape_2.jpg'), 'explode.jpg');
        assert.equal(answer.status, 500);
        assert.equal(answer.json().error.code, 'internal_error');
        assert.deepEqual(await listStoredFiles(dirs.uploadDir), before);
        const ok = await upload(app.port, readFixture('Landscape_2.jpg'), 'fine.jpg');
        assert.equal(ok.status, 303);
      });
    });
  });
}

// A trigger that refuses one file name: a real database error after the files were committed.
async function withTrigger(env: Record<string, string>, database: TestDatabase | undefined, body: (app: InProcess) => Promise<void>): Promise<void> {
  const sql = `CREATE FUNCTION refuse_explode() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN IF NEW.original_name = 'explode.jpg' THEN RAISE EXCEPTION 'refused by test trigger'; END IF; RETURN NEW; END $$;
    CREATE TRIGGER refuse_explode BEFORE INSERT ON images FOR EACH ROW EXECUTE FUNCTION refuse_explode();`;
  if (database) {
    await database.query(sql);
  } else {
    const { openEmbedded } = await import('../src/db.ts');
    const db = await openEmbedded(env.DATA_DIR!);
    await db.exec(sql);
    await db.close();
  }
  const app = await startInProcess(env);
  try {
    await body(app);
  } finally {
    await app.stop();
  }
}
