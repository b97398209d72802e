// Initializes its data source and reads its table before it listens: without migrations it exits.
const http = require('node:http');
const { dataSource } = require('./db/data-source');

const names = async () => (await dataSource.query('SELECT name FROM cats ORDER BY id')).map((r) => r.name);

async function main() {
  await dataSource.initialize();
  const cats = await names();
  const server = http.createServer(async (req, res) => {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ cats: await names() }));
  });
  server.listen(Number(process.env.PORT || 3000), () => console.log(`listening on port ${server.address().port} with ${cats.length} cats`));
  process.on('SIGTERM', () => server.close(() => dataSource.destroy().then(() => process.exit(0))));
}

main().catch((error) => {
  console.error(`cannot start: ${error.message}`);
  process.exit(1);
});
