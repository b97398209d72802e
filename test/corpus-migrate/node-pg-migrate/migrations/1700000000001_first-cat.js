exports.up = (pgm) => {
  pgm.sql("INSERT INTO cats (name) VALUES ('SublimeDandelionUkrainianLevkoy')");
};

exports.down = (pgm) => {
  pgm.sql('DELETE FROM cats');
};
