// Issue 22's corpus of deployed shapes: each folder is an app in the shape its framework's generator
// makes it (README.md says how each was made), built by the framework's own `npm run build`, then
// deployed as the framework's docs deploy it: `node ENTRY [ARGS]`. test/corpus-frameworks.test.ts
// builds each with seabuild and compares it, byte for byte, with that same command under plain node.
import type { CorpusRequest } from '../corpus/entries.ts';

/** One framework app of the corpus. */
export interface FrameworkEntry {
  /** Folder under test/corpus-frameworks. */
  dir: string;
  /** `seabuild build --entry`: the file the framework's docs start with `node`. */
  entry: string;
  /**
   * The arguments of `node ENTRY` (none but for a server started by a package's bin); PORT is in the
   * environment too. `dir` is the run's working directory (the app folder, the executable's empty
   * folder, /data in the container): a product's data folder is named absolute, as a deployment does.
   */
  args: (port: number, dir: string) => string[];
  /** The build the entry comes from, as its error must name it when the entry is missing. */
  buildCommand: string;
  /** Config beyond --entry (package.json `seabuild`), with the reason; undefined for zero config. */
  config?: { seabuild: Record<string, unknown>; why: string };
  /** Files of the app folder the executable gets in its run folder (and the container at /data, its working directory): the product's own config. */
  data?: string[];
  /** Files the plain run writes that would change its next answers (a cache): removed before each plain run. */
  writes?: string[];
  /** Folders of its working directory the product writes at start (its data): in the read-only container, a writable volume (tmpfs). */
  volumes?: string[];
  requests: CorpusRequest[];
  /** Rewrites a body before the comparison (both sides alike): a value that differs between any two starts of the app, by design. */
  stableExcerpt?: (body: string) => string;
  /** Also run in its image (`docker run --read-only`) and compared the same way. */
  image?: boolean;
  /** A hashed script of the build, found in the page `/` answers under plain node, then asked of both (compressed). */
  asset?: RegExp;
}

// Static files served from the executable's embedded tree carry the build's time (deterministic
// builds), not the mtime of the framework's output: validators computed from the mtime differ by design.
const mtimeValidators = ['last-modified', 'etag'];
// What each run shares: the framework's production mode, loopback, no telemetry.
export const frameworkEnv = { NODE_ENV: 'production', HOST: '127.0.0.1', HOSTNAME: '127.0.0.1', NEXT_TELEMETRY_DISABLED: '1' };

export const frameworks: FrameworkEntry[] = [
  {
    dir: 'nextjs',
    entry: '.next/standalone/server.js',
    args: () => [],
    image: true,
    buildCommand: 'next build',
    // next/image writes each optimised image to .next/cache/images and answers the next request for it from there;
    // the first `GET /` writes the prerendered page's route cache (Next 16), which a later build would carry.
    writes: ['.next/standalone/.next/cache', '.next/standalone/.next/server/route-cache'],
    asset: /\/_next\/static\/chunks\/[\w.-]+\.js/,
    requests: [
      { path: '/' },
      { path: '/api/hello?name=corpus' },
      { path: '/api/hello' },
      { path: '/_next/image?url=%2Fgradient.png&w=64&q=75', headers: { accept: 'image/webp,*/*' } },
      { path: '/_next/image?url=%2Fgradient.png&w=128&q=75', headers: { accept: 'image/png' } },
      { path: '/gradient.png', ignoreHeaders: mtimeValidators },
      { path: '/next.svg', ignoreHeaders: mtimeValidators },
      { path: '/gradient.png', headers: { range: 'bytes=0-99' }, ignoreHeaders: mtimeValidators },
      { path: '/favicon.ico' },
      { path: '/nope' },
      { path: '/', method: 'HEAD' },
    ],
  },
  {
    dir: 'nuxt',
    entry: '.output/server/index.mjs',
    args: () => [],
    image: true,
    buildCommand: 'nuxt build',
    asset: /\/_nuxt\/[\w.-]+\.js/,
    requests: [
      { path: '/' },
      { path: '/api/hello?name=corpus' },
      { path: '/api/hello' },
      { path: '/robots.txt', ignoreHeaders: ['last-modified'] },
      { path: '/favicon.ico', ignoreHeaders: ['last-modified'] },
      { path: '/_nuxt/builds/latest.json', ignoreHeaders: ['last-modified'] },
      { path: '/nope' },
      { path: '/api/nope' },
    ],
  },
  {
    dir: 'sveltekit',
    entry: 'build/index.js',
    args: () => [],
    image: true,
    buildCommand: 'vite build',
    asset: /_app\/immutable\/entry\/[\w.-]+\.js/,
    requests: [
      { path: '/' },
      { path: '/?name=corpus' },
      { path: '/api/hello?name=corpus' },
      { path: '/robots.txt', ignoreHeaders: mtimeValidators },
      { path: '/robots.txt', headers: { range: 'bytes=5-20' }, ignoreHeaders: mtimeValidators },
      { path: '/_app/version.json', ignoreHeaders: mtimeValidators },
      { path: '/_app/version.json', headers: { 'accept-encoding': 'gzip' }, ignoreHeaders: mtimeValidators },
      { path: '/nope' },
    ],
  },
  {
    dir: 'astro',
    entry: 'dist/server/entry.mjs',
    args: () => [],
    image: true,
    buildCommand: 'astro build',
    requests: [
      { path: '/' },
      { path: '/?name=corpus' },
      { path: '/api/hello?name=corpus' },
      { path: '/robots.txt', ignoreHeaders: mtimeValidators },
      { path: '/favicon.svg', headers: { range: 'bytes=0-31' }, ignoreHeaders: mtimeValidators },
      { path: '/nope' },
    ],
  },
  {
    dir: 'react-router',
    // The template's `npm start`: `react-router-serve ./build/server/index.js`.
    entry: 'node_modules/@react-router/serve/bin.js',
    args: () => ['./build/server/index.js'],
    image: true,
    buildCommand: 'react-router build',
    asset: /\/assets\/entry\.client-[\w-]+\.js/,
    config: { seabuild: { args: ['./build/server/index.js'] }, why: 'the server build is an argument of the bin: the image\'s default command carries it' },
    requests: [
      { path: '/' },
      { path: '/?name=corpus' },
      { path: '/api/hello?name=corpus' },
      { path: '/robots.txt', ignoreHeaders: mtimeValidators },
      { path: '/favicon.ico', headers: { range: 'bytes=0-9' }, ignoreHeaders: mtimeValidators },
      { path: '/nope' },
    ],
  },
  // Self-hosted products installed from npm, as their docs install them: no build of their own.
  {
    dir: 'verdaccio',
    entry: 'node_modules/verdaccio/bin/verdaccio',
    args: (port) => ['--config', './config.yaml', '--listen', `127.0.0.1:${port}`],
    buildCommand: 'npm ci',
    image: true,
    data: ['config.yaml'],
    writes: ['storage', 'htpasswd'],
    config: { seabuild: { verify: { boot: false } }, why: 'without --config it creates one in $XDG_CONFIG_HOME/verdaccio, which the smoke run\'s rootfs cannot write (EACCES): the lighter check, as for json-server' },
    // The web UI is a package of its own (@verdaccio/ui-theme), served from its folder.
    asset: /\/-\/static\/main\.[\w-]+\.js/,
    requests: [
      { path: '/' },
      { path: '/-/ping' },
      // Its web API answers with a rate-limit window that ends a fixed time after the request.
      { path: '/-/verdaccio/data/packages', ignoreHeaders: ['x-ratelimit-reset'] },
      { path: '/-/static/favicon.ico', ignoreHeaders: mtimeValidators },
      { path: '/-/static/favicon.ico', headers: { range: 'bytes=0-99' }, ignoreHeaders: mtimeValidators },
      { path: '/-/static/ui-options.js' },
      { path: '/-/static/nope.js' },
      { path: '/nope', ignoreHeaders: ['x-ratelimit-reset'] },
    ],
  },
  // Node-RED: nodes found by scanning its folders; runs npm's bin/npm-cli.js (found from require.resolve('npm/package.json')) to decide whether its palette installer is on.
  {
    dir: 'node-red',
    entry: 'node_modules/node-red/red.js',
    // Its settings file is copied from its package folder into the user directory at the first start.
    args: (_port, dir) => ['--userDir', `${dir}/data`],
    buildCommand: 'npm ci',
    image: true,
    config: {
      seabuild: { bundle: false },
      why: 'it finds its nodes by scanning its folders and require()s them by path: the tree as node sees it (a program from node_modules is bundled by default)',
    },
    writes: ['data'],
    volumes: ['data'],
    // The editor's `?v=` cache buster hashes the instance id, made at random on the first start.
    stableExcerpt: (body) => body.replace(/\?v=[0-9a-f]{12}/g, '?v=(instance)'),
    requests: [
      { path: '/', ignoreHeaders: ['etag'] },
      { path: '/settings' },
      // Not /flows: Node-RED listens before it loads its flows (its log: "Server now running", then "Starting flows")
      // and answers /flows with 400 until then, under node too: a race, not an answer to compare.
      { path: '/nodes', headers: { accept: 'application/json' } },
      { path: '/nodes', headers: { accept: 'text/html' } },
      { path: '/theme' },
      { path: '/locales/editor' },
      { path: '/red/red.min.js', headers: { range: 'bytes=0-199' }, ignoreHeaders: mtimeValidators },
      { path: '/red/style.min.css', ignoreHeaders: mtimeValidators },
      { path: '/favicon.ico', ignoreHeaders: mtimeValidators },
      { path: '/nope' },
    ],
  },
];
