exports.up = (knex) => knex.schema.createTable('cats', (table) => {
  table.increments('id');
  table.string('name').notNullable();
});

exports.down = (knex) => knex.schema.dropTable('cats');
