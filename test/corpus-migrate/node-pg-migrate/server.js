// Reads its table before it listens: without migrations it exits.
const http = require('node:http');
const { Pool } = require('pg');

const pool = new Pool({ connectionString: process.env.DATABASE_URL || 'postgres://app:app@127.0.0.1:5432/cats_dev' });

async function main() {
  const { rows } = await pool.query('SELECT name FROM cats ORDER BY id');
  const server = http.createServer(async (req, res) => {
    const result = await pool.query('SELECT name FROM cats ORDER BY id');
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ cats: result.rows.map((r) => r.name) }));
  });
  server.listen(Number(process.env.PORT || 3000), () => console.log(`listening on port ${server.address().port} with ${rows.length} cats`));
  process.on('SIGTERM', () => server.close(() => pool.end().then(() => process.exit(0))));
}

main().catch((error) => {
  console.error(`cannot start: ${error.message}`);
  process.exit(1);
});
