// TypeORM's data source as its CLI takes it (-d): migrations found by a glob beside it.
const { DataSource } = require('typeorm');

module.exports = {
  dataSource: new DataSource({
    type: 'postgres',
    url: process.env.DATABASE_URL || 'postgres://app:app@127.0.0.1:5432/cats_dev',
    migrations: [`${__dirname}/migrations/*.js`],
  }),
};
