// The issue-10 corpus: real npm programs, unmodified, each in its own folder here with a pinned
// lockfile (README.md says what each is). test/corpus.test.ts builds each one with seabuild and
// compares it byte for byte with the same entry under plain node.

/** One HTTP request the comparison sends; `ignoreHeaders` says which headers differ by design, and why. */
export interface CorpusRequest {
  path: string;
  method?: string;
  headers?: Record<string, string>;
  /** Header names (lower case) left out of the comparison, besides `date`. */
  ignoreHeaders?: string[];
}

/** A web service: started with PORT (and HOST=127.0.0.1) set, probed over HTTP. */
export interface ServiceEntry {
  /** Folder under test/corpus. */
  dir: string;
  /** `seabuild build --entry` (relative to the folder). */
  entry: string;
  /** The app's own arguments, as `node ENTRY ARGS` gets them (cwd: the app folder, or /data in the container). */
  args: (port: number) => string[];
  /** Files or folders of the app folder the container gets at /data (read-only), its working directory. */
  data?: string[];
  /** Extra environment, the same for every run. */
  env?: Record<string, string>;
  /** Config for the build beyond --entry, with the reason (README.md); undefined for zero config. */
  config?: { seabuild: Record<string, unknown>; why: string };
  requests: (upstreamPort: number) => CorpusRequest[];
  /** A WebSocket path whose first message is compared too. */
  websocket?: string;
  /** True when the app installs its own SIGTERM handler (then the runtime stays out of the way). */
  handlesSigterm: boolean;
}

/** A command-line program: `--cli`, compared on stdout, stderr and exit code. */
export interface CliEntry {
  dir: string;
  entry: string;
  /** `stackTrace`: the program dies of an uncaught error; its stack names other paths in the executable. */
  cases: Array<{ args: string[]; stdin?: string; stackTrace?: boolean }>;
  /** Indexes into `cases` also run in the image (`docker run -i`). */
  inImage: number[];
}

// Express 4 (and the other apps) print stack traces in development; containers run production.
const production = { NODE_ENV: 'production' };
// Files served from the executable's embedded tree carry the build's time (deterministic builds),
// not the checkout's mtime: validators computed from it differ from plain node's by design.
const embeddedStatic = ['last-modified', 'etag'];
// The lighter smoke run (version and native addons, no boot) for programs that cannot start without
// arguments naming their data: the build's smoke run boots the entry with none.
const noBoot = { verify: { boot: false } };

export const services: ServiceEntry[] = [
  {
    dir: 'json-server',
    entry: 'node_modules/json-server/lib/cli/bin.js',
    args: (port) => ['--port', String(port), '--host', '127.0.0.1', 'db.json'],
    data: ['db.json'],
    env: production,
    config: { seabuild: noBoot, why: 'json-server needs the database file as its argument; without one it prints its usage and exits 1' },
    requests: () => [
      { path: '/posts' }, { path: '/posts/1' }, { path: '/posts?author=typicode' }, { path: '/posts/1/comments' },
      { path: '/profile' }, { path: '/nope' },
      // json-server's home page, read from its package folder at run time.
      { path: '/', ignoreHeaders: embeddedStatic },
    ],
    handlesSigterm: false,
  },
  {
    dir: 'http-server',
    entry: 'node_modules/http-server/bin/http-server',
    args: (port) => ['public', '-p', String(port), '-a', '127.0.0.1'],
    data: ['public'],
    requests: () => [
      { path: '/' }, { path: '/css/site.css' }, { path: '/notes.txt' }, { path: '/css/' }, { path: '/missing' },
      { path: '/notes.txt', method: 'HEAD' }, { path: '/notes.txt', headers: { range: 'bytes=0-4' } },
    ],
    handlesSigterm: true,
  },
  {
    dir: 'serve',
    entry: 'node_modules/serve/build/main.js',
    args: (port) => ['public', '--listen', `tcp://127.0.0.1:${port}`, '--no-clipboard'],
    data: ['public'],
    requests: () => [
      { path: '/' }, { path: '/index.html' }, { path: '/css/site.css' }, { path: '/notes.txt' }, { path: '/css' },
      { path: '/missing' }, { path: '/', headers: { 'accept-encoding': 'gzip' } },
    ],
    handlesSigterm: true,
  },
  {
    dir: 'sirv',
    entry: 'node_modules/sirv-cli/bin.js',
    // Reads PORT and HOST itself.
    args: () => ['public', '--etag', '--cors'],
    data: ['public'],
    requests: (): CorpusRequest[] => [
      { path: '/' }, { path: '/css/site.css' }, { path: '/notes.txt' }, { path: '/missing' },
      { path: '/notes.txt', method: 'HEAD' }, { path: '/notes.txt', headers: { range: 'bytes=5-9' } },
      { path: '/', headers: { origin: 'http://example.test' } },
    ],
    handlesSigterm: false,
  },
  {
    dir: 'ipx',
    entry: 'node_modules/ipx/bin/ipx.mjs',
    // ipx's own subcommand is `serve`, a built-in word: the executable gets `serve serve --dir public`.
    args: () => ['serve', '--dir', 'public'],
    data: ['public'],
    config: { seabuild: noBoot, why: 'ipx needs its `serve` subcommand; without it it prints its usage and exits 1' },
    requests: () => [
      { path: '/w_32/logo.png' }, { path: '/f_webp/logo.png' }, { path: '/w_20,f_jpeg/logo.png' }, { path: '/_/logo.png' },
      { path: '/s_16x16,f_png/logo.png' }, { path: '/w_32/missing.png' }, { path: '/' },
    ],
    handlesSigterm: true,
  },
  {
    dir: 'cors-anywhere',
    entry: 'node_modules/cors-anywhere/server.js',
    args: () => [],
    requests: (upstream): CorpusRequest[] => [
      { path: '/' }, { path: '/iscorsneeded' },
      { path: `/http://127.0.0.1:${upstream}/hello?x=1`, headers: { origin: 'http://example.test' } },
      { path: `/http://127.0.0.1:${upstream}/hello` },
      { path: `/127.0.0.1:${upstream}/missing`, headers: { 'x-requested-with': 'test' } },
    ],
    handlesSigterm: false,
  },
  {
    dir: 'peer',
    entry: 'node_modules/peer/dist/bin/peerjs.js',
    // Reads PORT itself; without --host it listens on every interface.
    args: () => ['--host', '127.0.0.1', '--allow_discovery'],
    requests: (): CorpusRequest[] => [
      { path: '/' }, { path: '/peerjs/peers' }, { path: '/', headers: { origin: 'http://example.test' } },
      { path: '/peerjs/peers', method: 'OPTIONS', headers: { origin: 'http://example.test', 'access-control-request-method': 'GET' } },
      { path: '/nope' },
    ],
    websocket: '/peerjs?key=peerjs&id=corpus&token=t1',
    handlesSigterm: true,
  },
  {
    dir: 'express-ejs',
    entry: 'bin/www',
    args: () => [],
    env: production,
    requests: () => [
      { path: '/' }, { path: '/users' }, { path: '/nope' },
      { path: '/stylesheets/style.css', ignoreHeaders: embeddedStatic },
    ],
    handlesSigterm: false,
  },
  {
    dir: 'fastify-app',
    entry: 'server.js',
    args: () => [],
    requests: () => [{ path: '/' }, { path: '/example' }, { path: '/example/' }, { path: '/nope' }, { path: '/', method: 'HEAD' }],
    handlesSigterm: true,
  },
  {
    dir: 'socket-io-chat',
    entry: 'index.js',
    args: () => [],
    requests: (): CorpusRequest[] => [
      { path: '/', ignoreHeaders: embeddedStatic },
      // socket.io serves its browser client from its own client-dist/ by a computed file name.
      { path: '/socket.io/socket.io.js' }, { path: '/socket.io/socket.io.js.map' },
      { path: '/socket.io/socket.io.min.js', headers: { 'accept-encoding': 'gzip' } },
      { path: '/socket.io/socket.io.esm.min.js', headers: { 'accept-encoding': 'br' } },
      { path: '/socket.io/socket.io.js', headers: { 'if-none-match': '"4.8.1"' } },
    ],
    handlesSigterm: false,
  },
  {
    dir: 'browser-sync',
    entry: 'node_modules/browser-sync/dist/bin.js',
    args: (port) => ['start', '--server', 'public', '--port', String(port), '--listen', '127.0.0.1', '--no-open', '--no-notify', '--no-ui'],
    data: ['public'],
    config: {
      seabuild: { include: { 'browser-sync-ui': ['lib/client-js.js'] }, verify: { args: ['start', '--server', '--port', '3000', '--no-open', '--no-notify', '--no-ui'] } },
      why: 'browser-sync-ui reads lib/client-js.js when it loads, by a name from another module (lib/config.js): found by seabuild trace; with no arguments browser-sync prints its help and exits, so the smoke run boots it with `start`',
    },
    // Not compared: /browser-sync/browser-sync-client.js (README.md, known differences).
    requests: () => [{ path: '/' }, { path: '/css/site.css' }, { path: '/notes.txt' }, { path: '/nope' }, { path: '/browser-sync/socket.io/socket.io.js' }],
    handlesSigterm: false,
  },
];

export const clis: CliEntry[] = [
  {
    dir: 'cli-semver',
    entry: 'node_modules/semver/bin/semver.js',
    cases: [
      { args: ['--help'] }, { args: ['1.2.3', '2.0.0-rc.1', '1.10.0', '-r', '>=1.2'] }, { args: ['9.9.9', '-r', '<1'] },
      { args: ['-i', 'minor', '1.2.3'] }, { args: ['version'] }, { args: ['help'] },
    ],
    inImage: [1, 2],
  },
  {
    dir: 'cli-js-yaml',
    entry: 'node_modules/js-yaml/bin/js-yaml.js',
    cases: [
      { args: ['--version'] }, { args: ['--help'] }, { args: ['-'], stdin: 'a: 1\nlist: [x, y]\nnested: { k: v }\n' },
      { args: ['-'], stdin: 'a: [\n' }, { args: ['missing.yml'] }, { args: ['serve'] },
    ],
    inImage: [0, 2],
  },
  {
    dir: 'cli-markdown-it',
    entry: 'node_modules/markdown-it/bin/markdown-it.js',
    cases: [
      { args: ['--version'] }, { args: ['--help'] },
      { args: [], stdin: '# Title\n\nSome *text*, a [link](http://x.test) and `code`.\n\n- a\n- b\n\n| x | y |\n|---|---|\n| 1 | 2 |\n' },
      { args: ['-l', '-t'], stdin: '"Smart" quotes -- and www.example.test (c)\n' }, { args: ['--no-html', '-'], stdin: '<b>raw</b>\n' },
      { args: ['missing.md'] }, { args: ['--no-such-option'] }, { args: ['help'] },
    ],
    inImage: [2, 6],
  },
  {
    dir: 'cli-cowsay',
    entry: 'node_modules/cowsay/cli.js',
    cases: [
      { args: ['hello'] }, { args: ['-f', 'tux', 'seabuild'] }, { args: ['-l'] }, { args: [], stdin: 'moo from stdin\n' },
      { args: ['--version'] }, { args: ['version'] },
      // Known differences, in docs/COMPATIBILITY.md, so not compared: `--help` prints yargs' $0, which
      // is argv[0] (the executable's name) unless argv[0] is a node; `-f no-such-cow x` dies of an
      // uncaught ENOENT whose source line and stack are the bundle's (the message is node's).
    ],
    inImage: [1, 3],
  },
];
