// Reads its table before it listens: without migrations it exits.
const http = require('node:http');
const { Sequelize, QueryTypes } = require('sequelize');

const sequelize = new Sequelize(process.env.DATABASE_URL || 'postgres://app:app@127.0.0.1:5432/cats_dev', { logging: false });
const names = async () => (await sequelize.query('SELECT name FROM cats ORDER BY id', { type: QueryTypes.SELECT })).map((r) => r.name);

async function main() {
  const cats = await names();
  const server = http.createServer(async (req, res) => {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ cats: await names() }));
  });
  server.listen(Number(process.env.PORT || 3000), () => console.log(`listening on port ${server.address().port} with ${cats.length} cats`));
  process.on('SIGTERM', () => server.close(() => sequelize.close().then(() => process.exit(0))));
}

main().catch((error) => {
  console.error(`cannot start: ${error.message}`);
  process.exit(1);
});
