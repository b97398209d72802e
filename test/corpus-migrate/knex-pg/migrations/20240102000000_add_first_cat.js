exports.up = (knex) => knex('cats').insert({ name: 'SublimeDandelionUkrainianLevkoy' });

exports.down = (knex) => knex('cats').del();
