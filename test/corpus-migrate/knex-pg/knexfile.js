// knex's documented config file: the CLI finds it in the working directory. The fallback is a
// developer's local database, as apps commonly have one.
module.exports = {
  client: 'pg',
  connection: process.env.DATABASE_URL || 'postgres://app:app@127.0.0.1:5432/cats_dev',
  migrations: { directory: './migrations' },
};
