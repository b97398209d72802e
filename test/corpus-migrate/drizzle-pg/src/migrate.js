// drizzle's documented programmatic migrator over drizzle/ (SQL files and meta/_journal.json).
const { migrate } = require('drizzle-orm/node-postgres/migrator');
const { db, pool } = require('./db');

migrate(db, { migrationsFolder: './drizzle' })
  .then(() => { console.log('migrations applied'); return pool.end(); })
  .catch((error) => { console.error(error.message); process.exitCode = 1; return pool.end(); });
