module.exports = {
  async up(queryInterface, Sequelize) {
    await queryInterface.createTable('cats', {
      id: { type: Sequelize.INTEGER, autoIncrement: true, primaryKey: true },
      name: { type: Sequelize.TEXT, allowNull: false },
    });
    await queryInterface.bulkInsert('cats', [{ name: 'SublimeDandelionUkrainianLevkoy' }]);
  },
  async down(queryInterface) {
    await queryInterface.dropTable('cats');
  },
};
