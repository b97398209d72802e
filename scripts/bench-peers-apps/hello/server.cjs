// The smallest web service: "hello" on every path. Plain Node, no framework.
const { createServer } = require('node:http');

const port = Number(process.env.PORT ?? 3000);
createServer((request, response) => {
  response.writeHead(200, { 'content-type': 'text/plain' });
  response.end('hello\n');
}).listen(port, '127.0.0.1');
