// The smoke run's boot, run by the build's node inside a fresh network namespace (src/verify/boot.ts
// starts it with unshare): forward the database the user named (forward.ts), run the app's migrate
// command when asked, start the service inside the rootfs, wait for an HTTP answer on PORT, send
// SIGTERM, wait for the exit. Prints one JSON line: what happened, and the app's output.
// Plain CommonJS with Node builtins only: it runs as a separate process, outside any bundle.
'use strict';
const { spawn } = require('node:child_process');
const { readFileSync } = require('node:fs');
const http = require('node:http');
const net = require('node:net');

const plan = JSON.parse(process.argv[2]);
let started = Date.now();
const keptBytes = 16 * 1024;
let output = '';
const keep = (chunk) => { if (output.length < keptBytes) output += chunk.toString('utf8').slice(0, keptBytes - output.length); };

let child;
let exited;
let exit;

/** Starts the service (or a command before it): its output is kept, its exit recorded. */
function start(command) {
  exited = undefined;
  child = spawn(command[0], command.slice(1), { env: plan.env, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  exit = new Promise((resolve) => child.once('exit', (code, signal) => { exited = { code, signal, atMs: Date.now() - started }; resolve(exited); }));
  child.once('error', (error) => { exited = { code: null, signal: null, error: error.message, atMs: Date.now() - started }; });
}

/** 127.0.0.1:PORT inside this namespace → the unix socket whose other end reaches the named server. */
function listenForwards() {
  return Promise.all((plan.forwards || []).map((forward) => new Promise((resolve, reject) => {
    const server = net.createServer({ allowHalfOpen: true }, (client) => {
      const upstream = net.createConnection({ path: forward.socket, allowHalfOpen: true });
      client.on('error', () => upstream.destroy());
      upstream.on('error', () => client.destroy());
      client.pipe(upstream).pipe(client);
    });
    server.once('error', reject);
    server.listen(forward.port, '127.0.0.1', resolve);
  })));
}

// The usual database ports that no forward takes: a connection there means the service wanted a server
// the smoke run was not given. It is recorded and closed, so the failure can name the address.
const trapPorts = [5432, 3306, 6379, 27017, 5672, 1433];
const trapped = new Set();
function listenTraps() {
  const taken = new Set([plan.port, ...(plan.forwards || []).map((forward) => forward.port)]);
  return Promise.all(trapPorts.filter((port) => !taken.has(port)).map((port) => new Promise((resolve) => {
    const server = net.createServer((socket) => { trapped.add(port); socket.destroy(); });
    server.once('error', () => resolve());
    server.listen(port, '127.0.0.1', resolve);
  })));
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const done = (result) => { process.stdout.write(`${JSON.stringify({ ...result, output, trapped: [...trapped] })}\n`); process.exit(0); };

function probe() {
  return new Promise((resolve) => {
    const req = http.get({ host: '127.0.0.1', port: plan.port, path: '/', timeout: 2000, agent: false, headers: { 'user-agent': 'seabuild-smoke-run' } }, (res) => {
      res.resume();
      resolve(res.statusCode);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(undefined));
  });
}

/** TCP ports listening in this network namespace (only the app's: the namespace is new). */
function listeningPorts() {
  const ports = new Set();
  for (const file of ['/proc/self/net/tcp', '/proc/self/net/tcp6']) {
    let text = '';
    try { text = readFileSync(file, 'utf8'); } catch { continue; }
    for (const line of text.split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      if (fields[3] === '0A') ports.add(parseInt(fields[1].split(':').pop(), 16)); // 0A: TCP_LISTEN
    }
  }
  return [...ports].sort((a, b) => a - b);
}

/** The ports the service itself listens on: the forwards and traps are the driver's own. */
function servicePorts() {
  return listeningPorts().filter((port) => !(plan.forwards || []).some((forward) => forward.port === port) && !trapPorts.includes(port));
}

/**
 * The image's HEALTHCHECK itself (`/app healthcheck`, through the build's channel): the smoke run
 * and a container engine judge the service by one rule, so a `/` answering 500 fails both.
 */
function healthcheck() {
  return new Promise((resolve) => {
    const check = spawn(plan.healthcheck[0], plan.healthcheck.slice(1), { env: { ...plan.env, SEABUILD_COMMAND: 'healthcheck' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let said = '';
    check.stdout.on('data', (chunk) => { said += chunk; });
    check.stderr.on('data', (chunk) => { said += chunk; });
    check.once('error', (error) => resolve({ code: null, said: error.message }));
    check.once('close', (code) => resolve({ code, said: said.trim().slice(0, 2000) }));
  });
}

async function main() {
  await listenForwards();
  await listenTraps();
  if (plan.before) {
    // The app's migrate command first, against the forwarded database, as a release's Job runs it before the Deployment.
    start(plan.before);
    const timer = setTimeout(() => child.kill('SIGKILL'), plan.timeoutMs);
    const migrated = await new Promise((resolve) => { const check = () => (exited ? resolve(exited) : setTimeout(check, 50)); check(); });
    clearTimeout(timer);
    if (migrated.code !== 0) return done({ phase: 'before-failed', ...migrated });
    output = '';
    started = Date.now(); // the service's own timeout and answer time start now
  }
  start(plan.command);
  let status;
  let otherPortSince;
  while (status === undefined) {
    if (exited) return done({ phase: 'exited-early', ...exited });
    if (Date.now() - started > plan.timeoutMs) {
      const listening = servicePorts();
      child.kill('SIGKILL');
      await exit;
      return done({ phase: 'no-answer', listening });
    }
    status = await probe();
    if (status !== undefined) break;
    // Listening, but not on PORT: say so now rather than after the whole timeout, once it has kept
    // that up for a moment (an app may open a side port, e.g. metrics, before its main one).
    const listening = servicePorts();
    if (listening.length > 0 && !listening.includes(plan.port)) {
      otherPortSince ??= Date.now();
      if (Date.now() - otherPortSince >= plan.otherPortGraceMs) {
        child.kill('SIGKILL');
        await exit;
        return done({ phase: 'no-answer', listening, otherPortMs: Date.now() - started });
      }
    } else {
      otherPortSince = undefined;
    }
    await sleep(100);
  }
  const answeredMs = Date.now() - started;
  const health = plan.healthcheck ? await healthcheck() : { code: 0 };
  child.kill('SIGTERM');
  const stopped = await Promise.race([exit, sleep(plan.stopTimeoutMs).then(() => undefined)]);
  if (!stopped) {
    child.kill('SIGKILL');
    await exit;
  }
  if (health.code !== 0) return done({ phase: 'unhealthy', status, answeredMs, healthcheck: health });
  if (!stopped) return done({ phase: 'did-not-stop', status, answeredMs });
  return done({ phase: 'stopped', status, answeredMs, ...stopped, stopMs: stopped.atMs - answeredMs });
}

main();
