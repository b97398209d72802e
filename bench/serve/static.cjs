// Express 5 as the issue measured it: express.static(public) in front of a JSON route, so every
// GET /ping first asks the file system for public/ping (a miss), then answers JSON.
const path = require('node:path');
const express = require('express');

const app = express();
// PUBLIC_DIR: the raw SEA and Bun runs, whose __dirname is not this folder.
app.use(express.static(process.env.PUBLIC_DIR ?? path.join(__dirname, 'public')));
app.get('/ping', (request, response) => response.json({ pong: true }));
app.listen(Number(process.env.PORT ?? 3000), '127.0.0.1');
