// Opens its database before it listens, as most services do: without the cats table it exits.
const http = require('node:http');
const knex = require('knex')(require('./knexfile'));

async function main() {
  const cats = await knex('cats').select('name').orderBy('id');
  const server = http.createServer(async (req, res) => {
    const rows = await knex('cats').select('name').orderBy('id');
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ cats: rows.map((r) => r.name) }));
  });
  server.listen(Number(process.env.PORT || 3000), () => console.log(`listening on port ${server.address().port} with ${cats.length} cats`));
  process.on('SIGTERM', () => server.close(() => knex.destroy().then(() => process.exit(0))));
}

main().catch((error) => {
  console.error(`cannot start: ${error.message}`);
  process.exit(1);
});
