// A CommonJS service as node runs it: plugins required by computed paths, a static folder served
// from disk by serve-static (stat + ranged streams), and answers about its own module.
const http = require('node:http');
const path = require('node:path');
const fs = require('node:fs');
const { fork, spawnSync } = require('node:child_process');
const serveStatic = require('serve-static');

const pluginDir = path.join(__dirname, 'plugins');
const plugins = fs.readdirSync(pluginDir).sort().map((name) => require(path.join(pluginDir, name)));
const statics = serveStatic(path.join(__dirname, '..', 'static'), { index: ['index.html'] });

http.createServer((req, res) => {
  if (req.url === '/plugins') return res.end(JSON.stringify(plugins.map((plugin) => plugin())));
  if (req.url === '/main') {
    return res.end(JSON.stringify({ main: require.main === module, argv1: path.basename(process.argv[1]), id: module.id, args: process.argv.slice(2) }));
  }
  if (req.url === '/listing') return res.end(JSON.stringify(fs.readdirSync(path.join(__dirname, '..', 'static'), { withFileTypes: true }).map((d) => [d.name, d.isDirectory()])));
  // Scripts run as `node script` (process.execPath): require.main is theirs, argv as node gives it.
  if (req.url === '/spawn') return res.end(spawnSync(process.execPath, [path.join(__dirname, 'child.js'), 'spawned'], { encoding: 'utf8' }).stdout);
  if (req.url === '/spawn-esm') return res.end(spawnSync(process.execPath, [path.join(__dirname, 'child.mjs'), 'esm'], { encoding: 'utf8' }).stdout);
  if (req.url === '/spawn-missing') {
    const child = spawnSync(process.execPath, [path.join(__dirname, 'missing.js')], { encoding: 'utf8' });
    return res.end(`${child.status} ${/Cannot find module/.test(child.stderr)}`);
  }
  if (req.url === '/fork') {
    const child = fork(path.join(__dirname, 'child.js'), ['forked'], { silent: true });
    let out = '';
    child.stdout.on('data', (chunk) => { out += chunk; });
    return child.on('close', () => res.end(out));
  }
  // Paths relative to the working directory: an app file read, and data written (the caller's folder, as under node).
  if (req.url === '/cwd') {
    fs.mkdirSync('data', { recursive: true });
    fs.writeFileSync('data/note.txt', 'written');
    const app = fs.readFileSync('static/sub/style.css', 'utf8');
    return res.end(JSON.stringify({ appFile: app.length, data: fs.readFileSync('data/note.txt', 'utf8'), listed: fs.readdirSync('data'), inData: fs.existsSync(path.resolve('data/note.txt')) }));
  }
  if (req.url === '/missing') return fs.stat(path.join(__dirname, '..', 'static', 'nope.txt'), (error) => res.end(`${error.code} ${error.syscall}`));
  statics(req, res, () => { res.statusCode = 404; res.end('not found\n'); });
}).listen(Number(process.env.PORT ?? 3000), '127.0.0.1');
