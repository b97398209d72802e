// scripts/compare-sizes [APP_DIR]: the same app as seabuild's FROM-scratch image and as the image
// people make today (node-slim-style, built here from Debian's packages), beside published figures
// of the official node and distroless images, as one Markdown table with ratios.
// APP_DIR defaults to examples/kitteh (when it builds), else test/fixtures/hello.
import { cp, mkdir, rm } from 'node:fs/promises';
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { build as esbuild } from 'esbuild';
import { execa } from 'execa';
import { build } from '../src/build.ts';
import type { SizeReport } from '../src/report/index.ts';
import { formatBytes } from '../src/report/format.ts';
import { buildSlimImage, debianMirror, ensureMinbaseRootfs, shown, type LayerSize } from './slim-image.ts';

const repoRoot = resolve(import.meta.dirname, '..');
const log = (line: string): void => { process.stderr.write(`compare-sizes: ${line}\n`); };

/** Published sizes of base images alone (no app), uncompressed as `docker images` prints them. */
const PUBLISHED: Array<{ image: string; uncompressedBytes?: number; shown?: string; source: string }> = [
  { image: 'node:22', uncompressedBytes: 1.12e9, shown: '1.12 GB', source: 'iximiuz Labs, "A Deeper Look into Node.js Docker Images" (docker images); DESIGN.md' },
  { image: 'node:22-slim', uncompressedBytes: 220e6, source: 'same' },
  { image: 'node:22-alpine', uncompressedBytes: 155e6, source: 'same' },
  { image: 'gcr.io/distroless/nodejs22-debian12', uncompressedBytes: 141e6, source: 'same' },
  { image: 'node:24-slim', source: 'no published figure reachable from this machine (npm and Debian only)' },
  { image: 'node:24-alpine', source: 'no published figure reachable from this machine' },
  { image: 'gcr.io/distroless/nodejs24-debian12', source: 'no published figure reachable from this machine' },
];

async function main(argv: string[]): Promise<void> {
  if (process.getuid?.() !== 0) throw new Error('run as root: debootstrap and the layers need root-owned files');
  const explicit = argv[0];
  const candidates = explicit ? [resolve(explicit)] : [join(repoRoot, 'examples/kitteh'), join(repoRoot, 'test/fixtures/hello')].filter(existsSync);
  let built: { app: string; work: string; report: SizeReport; nodeBinary: string } | undefined;
  for (const app of candidates) {
    try {
      built = await buildWithSeabuild(app);
      break;
    } catch (error) {
      if (explicit) throw error;
      log(`${shown(app)} does not build (${(error as Error).message.split('\n')[0]}); trying the next app`);
    }
  }
  if (!built) throw new Error('no app built');
  const rootfs = await ensureMinbaseRootfs(join(process.env.SEABUILD_CACHE_DIR ?? join(homedir(), '.cache/seabuild'), 'compare-sizes'), log);
  const appJsDir = join(built.work, '.compare-sizes-js');
  await transpileApp(built.work, appJsDir);
  log('writing the node-slim-style image');
  const slim = await buildSlimImage({ rootfsDir: rootfs, nodeBinary: built.nodeBinary, appDir: built.work, appJsDir, outDir: built.work, sourceDateEpoch: built.report.sourceDateEpoch });
  process.stdout.write(renderTable(built, slim));
}

/** Copies the app two folders below the repo (so `file:../..` still names seabuild), installs its production dependencies, builds. */
async function buildWithSeabuild(app: string): Promise<{ app: string; work: string; report: SizeReport; nodeBinary: string }> {
  const work = join(repoRoot, '.tmp', `compare-sizes-${basename(app)}`);
  await rm(work, { recursive: true, force: true });
  await mkdir(work, { recursive: true });
  await cp(app, work, { recursive: true, filter: (src) => !/\/(node_modules|dist|test)(\/|$)/.test(src.slice(app.length)) });
  const pkg = JSON.parse(readFileSync(join(work, 'package.json'), 'utf8'));
  if (Object.keys(pkg.dependencies ?? {}).length > 0) {
    log(`npm ci --omit=dev in ${shown(work)}`);
    await execa('npm', [existsSync(join(work, 'package-lock.json')) ? 'ci' : 'install', '--omit=dev', '--no-audit', '--no-fund'], { cwd: work });
  }
  if (!existsSync(join(work, 'node_modules/seabuild'))) {
    // A fixture without dependencies imports seabuild/runtime from the checkout, as the tests link it.
    await mkdir(join(work, 'node_modules'), { recursive: true });
    await execa('ln', ['-s', repoRoot, join(work, 'node_modules/seabuild')]);
  }
  log(`seabuild build in ${shown(work)}`);
  const result = await build({ cwd: work, verify: false, env: { ...process.env, SOURCE_DATE_EPOCH: process.env.SOURCE_DATE_EPOCH ?? '1700000000' } });
  return { app, work, report: result.platforms[0]!.report, nodeBinary: result.platforms[0]!.executable.node.path };
}

/** The app's own modules, compiled one file each (what `tsc` would emit), without bundling. */
async function transpileApp(work: string, outdir: string): Promise<void> {
  await esbuild({ entryPoints: [join(work, 'src/**/*.ts'), join(work, 'src/**/*.js')], outdir, bundle: false, platform: 'node', format: 'esm', target: 'node22', logLevel: 'error' });
}

function renderTable(built: { app: string; report: SizeReport }, slim: LayerSize[]): string {
  const { report } = built;
  const seaCompressed = report.totals.compressedBytes!;
  const seaUncompressed = report.totals.uncompressedBytes;
  const slimCompressed = slim.reduce((n, l) => n + l.compressedBytes, 0);
  const slimUncompressed = slim.reduce((n, l) => n + l.uncompressedBytes, 0);
  const ratio = (bytes: number | undefined, base: number): string => (bytes === undefined ? '–' : `${(bytes / base).toFixed(2)}×`);
  const rows = [
    `| seabuild, FROM scratch (${report.layers.length} layers) | measured here | ${formatBytes(seaCompressed)} | ${formatBytes(seaUncompressed)} | 1.00× | 1.00× |`,
    `| node-slim-style: bookworm minbase + node + npm ci --omit=dev + app JS (${slim.length} layers) | measured here | ${formatBytes(slimCompressed)} | ${formatBytes(slimUncompressed)} | ${ratio(slimCompressed, seaCompressed)} | ${ratio(slimUncompressed, seaUncompressed)} |`,
    ...PUBLISHED.map((p) => `| ${p.image} (base image alone, no app) | ${p.source} | – | ${p.shown ?? (p.uncompressedBytes === undefined ? '–' : formatBytes(p.uncompressedBytes))} | – | ${ratio(p.uncompressedBytes, seaUncompressed)} |`),
  ];
  return [
    `App: ${report.app.name} ${report.app.version} (${shown(built.app)}), node ${report.node.version}, layers gzip level ${report.image?.compressionLevel ?? 6}, Debian mirror ${debianMirror()}.`,
    '',
    '| image | source | compressed | uncompressed | compressed vs seabuild | uncompressed vs seabuild |',
    '|---|---|--:|--:|--:|--:|',
    ...rows,
    '',
    `node-slim-style layers: ${slim.map((l) => `${l.name} ${formatBytes(l.compressedBytes)} / ${formatBytes(l.uncompressedBytes)}`).join('; ')} (compressed / uncompressed).`,
    `seabuild layers: ${report.layers.map((l) => `${l.name} ${formatBytes(l.compressedBytes)} / ${formatBytes(l.uncompressedBytes)}`).join('; ')}.`,
    '',
  ].join('\n');
}

await main(process.argv.slice(2)).catch((error: Error) => {
  log(`failed: ${error.message}`);
  process.exit(1);
});
