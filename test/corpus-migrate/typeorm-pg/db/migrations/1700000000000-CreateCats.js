module.exports = class CreateCats1700000000000 {
  name = 'CreateCats1700000000000';

  async up(queryRunner) {
    await queryRunner.query('CREATE TABLE "cats" ("id" SERIAL PRIMARY KEY, "name" text NOT NULL)');
    await queryRunner.query("INSERT INTO \"cats\" (\"name\") VALUES ('SublimeDandelionUkrainianLevkoy')");
  }

  async down(queryRunner) {
    await queryRunner.query('DROP TABLE "cats"');
  }
};
