// A plain Express service as people write one: JSON routes, a route parameter, a 404 handler.
const express = require('express');

const app = express();
app.use(express.json());
app.get('/', (request, response) => response.send('hello\n'));
app.get('/users/:id', (request, response) => response.json({ id: request.params.id, name: `user ${request.params.id}` }));
app.post('/echo', (request, response) => response.json({ received: request.body }));
app.use((request, response) => response.status(404).json({ error: 'not found', path: request.path }));

app.listen(Number(process.env.PORT ?? 3000), '127.0.0.1');
