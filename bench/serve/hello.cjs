// The smallest web service: node:http, "hello" on every path.
const { createServer } = require('node:http');

createServer((request, response) => {
  response.writeHead(200, { 'content-type': 'text/plain' });
  response.end('hello\n');
}).listen(Number(process.env.PORT ?? 3000), '127.0.0.1');
