// Express 5 with one JSON route and no static middleware: the framework's own per-request cost.
const express = require('express');

const app = express();
app.get('/ping', (request, response) => response.json({ pong: true }));
app.listen(Number(process.env.PORT ?? 3000), '127.0.0.1');
