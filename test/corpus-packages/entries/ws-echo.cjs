// ws without its optional native helpers (bufferutil, utf-8-validate: not installed): ws require()s them
// inside try/catch and falls back to JavaScript, as under node.
const { WebSocketServer, WebSocket } = require('ws');

const server = new WebSocketServer({ port: 0, host: '127.0.0.1' }, () => {
  const client = new WebSocket(`ws://127.0.0.1:${server.address().port}`);
  client.on('open', () => client.send(JSON.stringify({ hello: 'corpus', masked: true })));
  client.on('message', (data) => {
    console.log(`echo: ${data}`);
    client.close();
    server.close();
  });
});
server.on('connection', (socket) => socket.on('message', (data) => socket.send(`${data}`.toUpperCase())));
