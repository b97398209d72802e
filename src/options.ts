// The user's options, as written in package.json's "seabuild" key, seabuild.config.{json,ts} or flags.
// One table describes every option once: its type, its flag and its help text.

/** Image settings (the FROM-scratch image). */
export interface ImageOptions {
  /** Repository, e.g. `kitteh/web` or `ghcr.io/acme/web`; default: the package name. */
  name?: string;
  /** Tag; default: the package version. */
  tag?: string;
  /** Where the executable lives in the image; default `/app`. */
  appPath?: string;
  /** Extra environment variables baked into the image config. */
  env?: Record<string, string>;
  /** TCP ports to declare (ExposedPorts); default: [port]. */
  ports?: number[];
  /** Layer compression; default gzip. */
  compression?: 'gzip' | 'zstd';
  /** Tags to push (each gets the same manifest); default: [tag]. The archive is named with the first. */
  tags?: string[];
  /**
   * `executable` (default): /app is the single executable. `split`: the stripped node binary in a
   * layer of its own and the bundle and embedded files as plain files in the app layer, so a code or
   * asset change ships only those (the smoke run is skipped: there is no executable to run).
   */
  layout?: 'executable' | 'split';
}

/** The smoke run inside the built rootfs. */
export interface VerifyOptions {
  /** Boot the service (serve, an HTTP answer on PORT, SIGTERM, a clean exit); default true for services. */
  boot?: boolean;
  /** Environment of the smoke run's boot (e.g. a DATABASE_URL the app needs to start). */
  env?: Record<string, string>;
  /** How long the boot may take to answer HTTP; default 20000. */
  timeoutMs?: number;
  /** Arguments of the booted executable; default none (serve). E.g. ["serve", "--migrate"] for a runApp app with an embedded database. */
  args?: string[];
}

/** Everything a user can set. All optional: an app with package.json `main` needs none of it. */
export interface SeabuildOptions {
  /** The app's entry module; default: package.json `main`. */
  entry?: string;
  /** Executable name; default: the package name without its scope. */
  name?: string;
  /** Output folder; default `dist`. */
  outDir?: string;
  /** Folder of static assets to digest and embed for the runtime to serve (runApp apps; a plain app serves its own files); default `public` when it exists; false for none. */
  assets?: string | false;
  /** URL path under which assets are served; default `/assets/`. */
  assetPrefix?: string;
  /** Folder of SQL migrations; default `migrations` when it exists; false for none. */
  migrations?: string | false;
  /** Node binary of the build machine (it makes the blob; the host platform's executable is made of it); default: the Node running seabuild. */
  node?: string;
  /** Target platforms, e.g. `["linux/amd64", "linux/arm64"]`; default: the build machine's. */
  platforms?: string[];
  /** Node binary per other platform (`{ "linux/arm64": "/opt/node-arm64/bin/node" }`); default: `node-linux-<cpu>@<version of node>` from npm, cached. */
  nodes?: Record<string, string>;
  /** Default port of `serve` (PORT overrides it at run time); default 3000. */
  port?: number;
  /**
   * Default arguments of the app: `./app` (or `./app serve`, the image's command) with none runs `node ENTRY ...args`.
   * An argument naming a file of the app (`./build/server/index.js`) is that file in the executable, wherever it starts.
   */
  args?: string[];
  /** Minify the bundle; default false (readable stack traces). */
  minify?: boolean;
  /**
   * false: tree mode, the app is not bundled: its files and the packages they import (found by @vercel/nft)
   * are carried at their own paths and run by Node's own loaders. Default: tree mode when the entry lies in
   * a git-ignored build output folder (a framework's build), else bundled.
   */
  bundle?: boolean;
  /**
   * Put V8's code cache of the bundle in the blob (Node's useCodeCache), made reproducible (src/sea/code-cache.ts):
   * a 10 MB bundle starts in half the time; the blob grows by the cache and works only on this CPU architecture.
   * Default: on for the build machine's platform, off for every other (a cross-platform blob needs it off).
   */
  codeCache?: boolean;
  /** Map stack traces to the app's own files and lines (the bundle's source map, embedded); default true. */
  sourceMaps?: boolean;
  /** Packages or paths esbuild must not bundle; installed packages named here are embedded whole, with their dependencies. */
  external?: string[];
  /** Package files to embed for run time, as globs relative to each package (`"."` is the app): `{ "figlet": ["fonts/Standard.flf"] }`. `seabuild trace` writes it. */
  include?: Record<string, string[]>;
  exclude?: Record<string, string[]>;
  /** Build the image; false builds only the executable. */
  image?: ImageOptions | false;
  /** Run the smoke test inside the built rootfs; default true. */
  verify?: boolean | VerifyOptions;
  /** A command-line program: `./tool ARGS` is `node ENTRY ARGS` for every ARGS; default: true when the entry is a package.json `bin`. */
  cli?: boolean;
  /** The path `./app healthcheck` requests; default `/healthz` for runApp apps, `/` for the others. */
  healthcheckPath?: string;
  /** Also write the rootfs and Dockerfile.scratch here, for `docker build`. */
  context?: string;
  /** Push the image to its registry after the build (credentials: SEABUILD_REGISTRY_USERNAME/PASSWORD). */
  push?: boolean;
  /** After the build, load the image into the local engine: "auto" (docker when its daemon answers, else podman), "docker" or "podman". */
  load?: 'auto' | 'docker' | 'podman';
  /** Talk plain HTTP to the registry (a local test registry). */
  insecureRegistry?: boolean;
  /** SBOM formats written beside the image and attached on push: "spdx,cyclonedx" (default), "spdx", "cyclonedx" or "none". */
  sbom?: string;
  /** After --push, write the pushed `registry/name@sha256:…` here, for the next step of a release script. */
  imageRefs?: string;
  /**
   * The app's own commands of the executable: name → a package.json script name or a command line
   * (`node FILE ARGS`, `BIN ARGS`). `./app NAME ARGS` runs it as `npm run SCRIPT -- ARGS` would.
   * Default: `migrate` is the first of the scripts migrate, db:migrate, migrate:deploy, migration:run.
   */
  commands?: Record<string, string>;
}

/** Typed identity for `seabuild.config.ts`: `export default defineConfig({ … })`. */
export function defineConfig(options: SeabuildOptions): SeabuildOptions {
  return options;
}

export type OptionType = 'string' | 'number' | 'boolean' | 'string|false' | 'string[]' | 'number[]' | 'record' | 'globs' | 'compression' | 'path';

/** The schema: key → type, flag and help. Nested `image.*` keys use the flag names shown. */
export const optionTable: Record<string, { type: OptionType; flag: string; help: string }> = {
  entry: { type: 'string', flag: 'entry', help: 'app entry module (default: package.json main)' },
  name: { type: 'string', flag: 'name', help: 'executable name (default: package name)' },
  outDir: { type: 'string', flag: 'out-dir', help: 'output folder (default: dist)' },
  assets: { type: 'string|false', flag: 'assets', help: 'static assets the runtime serves to a runApp app (default: public if present)' },
  assetPrefix: { type: 'string', flag: 'asset-prefix', help: 'URL path of assets (default: /assets/)' },
  migrations: { type: 'string|false', flag: 'migrations', help: 'SQL migrations folder (default: migrations if present)' },
  node: { type: 'string', flag: 'node', help: 'node binary to build with (default: the running node)' },
  platforms: { type: 'string[]', flag: 'platform', help: 'target platforms, comma-separated: linux/amd64,linux/arm64 (default: this machine\'s)' },
  nodes: { type: 'record', flag: 'node-for', help: 'PLATFORM=PATH: the node binary for another platform (default: from npm, cached)' },
  port: { type: 'number', flag: 'port', help: 'default port of serve (default: 3000)' },
  minify: { type: 'boolean', flag: 'minify', help: 'minify the bundle' },
  args: { type: 'string[]', flag: 'arg', help: 'default argument of the app when started with none (repeatable); a path of the app is that file in the executable' },
  bundle: { type: 'boolean', flag: 'bundle', help: 'bundle the app with esbuild (--no-bundle: carry its files as they are and run them with node\'s loaders; default: not for a framework\'s build output)' },
  codeCache: { type: 'boolean', flag: 'code-cache', help: 'V8\'s code cache of the bundle: faster start, same bytes every build (default: on for the build machine\'s platform, off for others; "codeCache": false in the config turns it off)' },
  sourceMaps: { type: 'boolean', flag: 'source-maps', help: 'map stack traces to the app\'s own files and lines (default: true; --no-source-maps leaves the map out)' },
  external: { type: 'string[]', flag: 'external', help: 'do not bundle this package; embed it whole (repeatable)' },
  include: { type: 'globs', flag: 'include', help: 'embed files of a package: PKG=GLOB (repeatable; "." is the app)' },
  exclude: { type: 'globs', flag: 'exclude', help: 'leave out files the build would carry for a package: PKG=GLOB (repeatable)' },
  verify: { type: 'boolean', flag: 'verify', help: 'smoke-run the executable inside the built rootfs (default: true; explicit: fail when a platform cannot be run)' },
  'verify.boot': { type: 'boolean', flag: 'verify-boot', help: 'boot the service in the smoke run (default: true; --no-verify-boot)' },
  'verify.env': { type: 'record', flag: 'verify-env', help: 'KEY=VALUE for the smoke run\'s boot (repeatable)' },
  'verify.args': { type: 'string[]', flag: 'verify-arg', help: 'argument of the booted service in the smoke run (repeatable; default: none)' },
  'verify.timeoutMs': { type: 'number', flag: 'verify-timeout-ms', help: 'how long the booted service may take to answer (default: 20000)' },
  cli: { type: 'boolean', flag: 'cli', help: 'a command-line program: every argument goes to it (default: when the entry is a bin)' },
  healthcheckPath: { type: 'path', flag: 'healthcheck-path', help: 'path healthcheck requests (default: /healthz with runApp, else /)' },
  context: { type: 'string', flag: 'context', help: 'also write a docker build context (rootfs + Dockerfile.scratch) here; with several platforms one per platform below it (DIR/linux-arm64)' },
  push: { type: 'boolean', flag: 'push', help: 'push the image to its registry (SEABUILD_REGISTRY_USERNAME/PASSWORD)' },
  load: { type: 'string', flag: 'load', help: 'load the image into docker (when its daemon answers, else podman) under its name and tag; --load=docker or --load=podman to choose' },
  insecureRegistry: { type: 'boolean', flag: 'insecure-registry', help: 'use plain HTTP for --push (a local registry)' },
  sbom: { type: 'string', flag: 'sbom', help: 'SBOMs to write and attach: spdx,cyclonedx (default), spdx, cyclonedx or none' },
  imageRefs: { type: 'string', flag: 'image-refs', help: 'after --push, write the pushed name@sha256:… to this file' },
  commands: { type: 'record', flag: 'command', help: 'NAME=SCRIPT: ./app NAME runs this package.json script or command line (node FILE ARGS | BIN ARGS) (repeatable; default: migrate from scripts.migrate)' },
  'image.name': { type: 'string', flag: 'image-name', help: 'image repository (default: package name)' },
  'image.tag': { type: 'string', flag: 'image-tag', help: 'image tag (default: package version)' },
  'image.appPath': { type: 'string', flag: 'app-path', help: 'path of the executable in the image (default: /app)' },
  'image.env': { type: 'record', flag: 'image-env', help: 'KEY=VALUE baked into the image (repeatable)' },
  'image.ports': { type: 'number[]', flag: 'image-port', help: 'port the image exposes (repeatable)' },
  'image.compression': { type: 'compression', flag: 'compression', help: 'layer compression: gzip or zstd' },
  'image.tags': { type: 'string[]', flag: 'tag', help: 'tag to push (repeatable; default: the image tag)' },
  'image.layout': { type: 'string', flag: 'image-layout', help: 'executable (default) or split: node in its own layer, the app as files (small pulls)' },
};
