exports.up = (pgm) => {
  pgm.createTable('cats', { id: 'id', name: { type: 'text', notNull: true } });
};

exports.down = (pgm) => {
  pgm.dropTable('cats');
};
