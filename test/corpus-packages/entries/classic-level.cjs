// classic-level (LevelDB): node-gyp-build picks its addon among prebuilds for eight platforms.
const { ClassicLevel } = require('classic-level');
const { mkdtempSync, rmSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'corpus-level-'));
  try {
    const db = new ClassicLevel(join(dir, 'db'), { valueEncoding: 'json' });
    await db.batch([{ type: 'put', key: 'b', value: { n: 2 } }, { type: 'put', key: 'a', value: { n: 1 } }, { type: 'put', key: 'c', value: { n: 3 } }]);
    await db.del('b');
    for await (const [key, value] of db.iterator()) console.log(`${key} ${JSON.stringify(value)}`);
    await db.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
main();
