// knex's documented config file: a SQLite file the environment names (the executable's folder is read-only).
module.exports = {
  client: 'sqlite3',
  connection: { filename: process.env.DATABASE_FILE || './dev.sqlite3' },
  useNullAsDefault: true,
  migrations: { directory: './migrations' },
};
