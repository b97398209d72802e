const { drizzle } = require('drizzle-orm/node-postgres');
const { Pool } = require('pg');

const pool = new Pool({ connectionString: process.env.DATABASE_URL || 'postgres://app:app@127.0.0.1:5432/cats_dev' });
module.exports = { pool, db: drizzle(pool) };
