// Size reports on two real builds of the fixture app: hello, then hello plus one npm dependency
// (ms@2.1.3) and one asset (robots.txt). The diff must name both with the bytes the metafile and
// the disk say; budgets exit 1 or 0; the HTML page renders in Debian's chromium.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { cp, mkdir, mkdtemp, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { execFileSync } from 'node:child_process';
import { build, type BuildResult } from '../src/build.ts';
import type { ReportDiff, SizeReport } from '../src/report/index.ts';
import { copyFixture, removeFixture, repoRoot } from './helpers/fixture.ts';
import { runSeabuild } from './helpers/cli.ts';
import { requireTools } from './helpers/engines.ts';
import { launchChromium, CHROMIUM_PATH } from './helpers/chromium.ts';

const env = { ...process.env, SOURCE_DATE_EPOCH: '1700000000' };
let app: string;
let work: string;
let oldPath: string;
let newPath: string;
let plus: BuildResult;
let buildOutput: string;

before(async () => {
  app = await copyFixture('hello');
  work = await mkdtemp(join(tmpdir(), 'seabuild-report-'));
  await build({ cwd: app, env, verify: false });
  oldPath = join(work, 'old.json');
  await cp(join(app, 'dist/hello-fixture.report.json'), oldPath);
  // hello-plus: one dependency and one asset more (test/fixtures/hello-plus/README.md).
  await cp(join(repoRoot, 'test/fixtures/hello-plus'), app, { recursive: true, filter: (src) => !src.endsWith('README.md') });
  execFileSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: app, stdio: 'pipe' });
  if (!existsSync(join(app, 'node_modules/seabuild'))) await symlink(repoRoot, join(app, 'node_modules/seabuild'));
  const cli = await runSeabuild(['build', '--no-verify', '--compare', oldPath], { cwd: app });
  assert.equal(cli.exitCode, 0, cli.all);
  buildOutput = String(cli.all);
  newPath = join(work, 'new.json');
  await cp(join(app, 'dist/hello-fixture.report.json'), newPath);
  // The same build again through the library, for its metafile (and to check that reports are reproducible).
  plus = await build({ cwd: app, env, verify: false });
});

after(async () => {
  await removeFixture(app);
  await rm(work, { recursive: true, force: true });
});

const readJson = async <T>(path: string): Promise<T> => JSON.parse(await readFile(path, 'utf8')) as T;

test('every byte is in one component: components add up to the layers, and the layers are the image\'s', async () => {
  const report = await readJson<SizeReport>(newPath);
  const sum = (key: 'uncompressedBytes' | 'compressedBytes') => report.components.reduce((n, c) => n + (c[key] ?? 0), 0);
  assert.equal(sum('uncompressedBytes'), report.totals.uncompressedBytes);
  assert.equal(sum('compressedBytes'), report.totals.compressedBytes);
  assert.deepEqual(report.layers.map((l) => [l.digest, l.compressedBytes, l.uncompressedBytes]), plus.platforms[0]!.image!.layers.map((l) => [l.digest, l.sizeBytes, l.uncompressedBytes]));
  for (const layer of report.layers) {
    const inLayer = report.components.filter((c) => c.layer === layer.name);
    assert.equal(inLayer.reduce((n, c) => n + c.uncompressedBytes, 0), layer.uncompressedBytes, layer.name);
    assert.equal(inLayer.reduce((n, c) => n + (c.compressedBytes ?? 0), 0), layer.compressedBytes, layer.name);
  }
  const node = report.components.find((c) => c.id === 'node-runtime')!;
  assert.equal(node.uncompressedBytes, plus.platforms[0]!.executable.node.strippedBytes);
  const libc = report.components.find((c) => c.id === 'lib:libc.so.6')!;
  assert.equal(libc.package?.name, 'libc6', 'dpkg names the package of libc');
  assert.deepEqual(plus.platforms[0]!.report, report, 'the same inputs give the same report');
  assert.deepEqual(plus.platforms[0]!.previousReport, report, 'the build read the report it replaced');
});

test('the diff names the added package and the added asset with the bytes of the metafile and of the file', async () => {
  const result = await runSeabuild(['report', oldPath, newPath, '--json'], { cwd: work });
  assert.equal(result.exitCode, 0, result.all);
  const diff = JSON.parse(String(result.stdout)) as ReportDiff;
  const inputs = Object.values(plus.bundle.metafile.outputs).flatMap((o) => Object.entries(o.inputs));
  const msBytes = inputs.filter(([path]) => path.startsWith('node_modules/ms/')).reduce((n, [, i]) => n + i.bytesInOutput, 0);
  assert.ok(msBytes > 1000, 'ms is bundled');
  const ms = diff.components.find((c) => c.id === 'npm:ms');
  assert.equal(ms?.status, 'added');
  assert.equal(ms?.uncompressed.newBytes, msBytes);
  assert.deepEqual(ms?.version, { new: '2.1.3' });
  const robotsBytes = (await stat(join(app, 'public/robots.txt'))).size;
  const assets = diff.components.find((c) => c.id === 'assets');
  const robots = assets?.files.find((f) => f.path === 'robots.txt');
  assert.equal(robots?.status, 'added');
  assert.equal(robots?.change.newBytes, robotsBytes);
  assert.ok(assets!.files.every((f) => f.status === 'added' && f.path.startsWith('robots.txt')), 'only robots.txt and its variants are new');
  assert.equal(assets?.uncompressed.deltaBytes, assets!.files.reduce((n, f) => n + f.change.deltaBytes, 0));
  const text = await runSeabuild(['report', oldPath, newPath], { cwd: work });
  assert.equal(text.exitCode, 0, text.all);
  assert.match(String(text.stdout), new RegExp(`\\n  ms 2\\.1\\.3\\s+added\\s+npm-package\\s+\\+${msBytes.toLocaleString('en-US')} B`));
  assert.match(String(text.stdout), new RegExp(`robots\\.txt\\s+added\\s+\\+${robotsBytes} B`));
  assert.match(buildOutput, new RegExp(`change\\s+.*since ${oldPath.replaceAll('.', '\\.')}: ms \\+${msBytes.toLocaleString('en-US')} B \\(added\\)`), 'the build compared with --compare');
});

test('seabuild report prints the full table, Markdown and JSON', async () => {
  const table = await runSeabuild(['report', newPath], { cwd: work });
  assert.equal(table.exitCode, 0, table.all);
  for (const name of ['node runtime v24', 'libc.so.6', 'dpkg libc6', 'ms', 'assets', 'app code', 'seabuild runtime', 'image files']) assert.ok(String(table.stdout).includes(name), name);
  const markdown = await runSeabuild(['report', oldPath, newPath, '--markdown'], { cwd: work });
  assert.match(String(markdown.stdout), /^### Image size: hello-fixture 1\.3\.0/);
  assert.match(String(markdown.stdout), /\| added \| ms 2\.1\.3 \| \+[\d,]+ B \| new \|/);
  const json = await runSeabuild(['report', newPath, '--json'], { cwd: work });
  assert.deepEqual(JSON.parse(String(json.stdout)), await readJson(newPath));
});

test('budgets: over exits 1, within exits 0; compressed by default', async () => {
  const report = await readJson<SizeReport>(newPath);
  const cases: Array<[string[], number]> = [
    [['--budget', '1GB'], 0],
    [['--budget', '10MB'], 1],
    [['--budget', `${report.totals.compressedBytes}B`], 0],
    [['--budget', `${report.totals.compressedBytes! - 1}B`], 1],
    [['--budget', '100MB', '--budget-kind', 'uncompressed'], 1],
    [['--budget', '200MB', '--budget-kind', 'uncompressed'], 0],
  ];
  for (const [flags, exitCode] of cases) {
    const result = await runSeabuild(['report', newPath, ...flags], { cwd: work });
    assert.equal(result.exitCode, exitCode, `${flags.join(' ')}: ${result.stderr}`);
    assert.match(String(result.stderr), exitCode === 0 ? /within budget/ : /over budget/);
  }
});

test('bad command lines exit 2, unreadable reports exit 1 naming the file', async () => {
  for (const args of [['--frobnicate', newPath], ['--budget', '12 parsecs', newPath], ['--budget', '40', newPath], ['--budget-kind', 'uncompressed', newPath], [], [newPath, newPath, newPath], ['--json', '--markdown', newPath]]) {
    const result = await runSeabuild(['report', ...args], { cwd: work });
    assert.equal(result.exitCode, 2, `${args.join(' ')}: ${result.all}`);
  }
  const badCompare = await runSeabuild(['build', '--compare', join(work, 'missing.json')], { cwd: app });
  assert.equal(badCompare.exitCode, 1, 'a bad --compare path fails before building');
  assert.match(String(badCompare.stderr), /missing\.json: cannot read the report/);
  const missing = await runSeabuild(['report', join(work, 'missing.json')], { cwd: work });
  assert.equal(missing.exitCode, 1);
  assert.match(String(missing.stderr), /missing\.json: cannot read the report/);
});

test('the report JSON keeps its shape (golden file; UPDATE_GOLDEN=1 rewrites it)', async () => {
  const actual = `${JSON.stringify(normalizeReport(await readJson<SizeReport>(newPath)), null, 2)}\n`;
  const golden = join(repoRoot, 'test/golden/hello-plus.report.json');
  if (process.env.UPDATE_GOLDEN === '1') await writeFile(golden, actual);
  assert.equal(actual, await readFile(golden, 'utf8'), 'report shape changed; if intended, run with UPDATE_GOLDEN=1 and review the diff (and docs/REPORT-SCHEMA.md)');
});

/** Volatile values (digests, byte counts, host package versions, seabuild's own runtime files) become placeholders. */
function normalizeReport(report: SizeReport): unknown {
  // Sorted by id: the order by size moves whenever seabuild's runtime grows.
  report = { ...report, components: [...report.components].sort((a, b) => (a.id < b.id ? -1 : 1)) };
  return JSON.parse(JSON.stringify(report, (key, value: unknown) => {
    if (typeof value === 'string' && /^(sha256:)?[0-9a-f]{64}$/.test(value)) return '<sha256>';
    if (typeof value === 'number' && /Bytes$/.test(key)) return '<bytes>';
    if (key === 'version' && typeof value === 'string' && /deb|\+|-\d/.test(value)) return '<debian version>';
    if (key === 'seabuildVersion') return '<seabuild version>';
    return value;
  }), (key, value: { id?: string; files?: unknown[] }) => {
    if (key === '' || typeof value !== 'object' || value === null || !('id' in value)) return value;
    // seabuild's runtime and glue change with seabuild itself, not with the app.
    return value.id === 'js:seabuild-runtime' ? { ...value, files: '<seabuild runtime files>' } : value;
  });
}

test('the HTML page renders in chromium: treemaps, labelled largest boxes, the change table, no network', async (t) => {
  if (!requireTools(t, [CHROMIUM_PATH.split('/').pop()!], 'apt-get install chromium')) return;
  const html = join(work, 'report.html');
  const written = await runSeabuild(['report', oldPath, newPath, '--html', html], { cwd: work });
  assert.equal(written.exitCode, 0, written.all);
  const report = await readJson<SizeReport>(newPath);
  const browser = await launchChromium();
  t.after(() => browser.close());
  const page = await browser.context.newPage();
  const requests: string[] = [];
  page.on('request', (request) => requests.push(request.url()));
  await page.goto(pathToFileURL(html).href);
  assert.equal(await page.title(), 'Image size: hello-fixture 1.3.0');
  const boxes = await page.evaluate(BOXES_SCRIPT) as Array<{ svg: string; id: string; name: string; area: number; label: string | null; labelInside: boolean }>;
  const largest = (svg: string) => boxes.filter((b) => b.svg === svg).sort((a, b) => b.area - a.area).slice(0, 3);
  const byCompressed = [...report.components].sort((a, b) => b.compressedBytes! - a.compressedBytes!).slice(0, 3);
  assert.deepEqual(largest('treemap-image').map((b) => b.id), byCompressed.map((c) => c.id), 'the largest boxes are the largest components');
  for (const box of [...largest('treemap-image'), ...largest('treemap-embedded')]) {
    assert.ok(box.label !== null && (box.label === box.name || (box.label.endsWith('…') && box.name.startsWith(box.label.slice(0, -1)))), `label of ${box.id}: ${box.label}`);
    assert.ok(box.labelInside, `the label of ${box.id} fits its box`);
  }
  const changes = String(await page.textContent('#changes'));
  assert.match(changes, /added\s*ms/);
  assert.match(changes, /robots\.txt/);
  assert.deepEqual(requests, [pathToFileURL(html).href], 'nothing but the page itself is loaded');
  await mkdir(join(repoRoot, 'test-artifacts'), { recursive: true });
  await page.screenshot({ path: join(repoRoot, 'test-artifacts/report-diff.png'), fullPage: true });
});

const BOXES_SCRIPT = `[...document.querySelectorAll('svg.treemap g.box')].map((g) => {
  const r = g.querySelector('rect').getBoundingClientRect();
  const t = g.querySelector('text.label');
  const l = t && t.getBoundingClientRect();
  return { svg: g.ownerSVGElement.id, id: g.dataset.id, name: g.dataset.name, area: r.width * r.height, label: t && t.textContent,
    labelInside: !!l && l.left >= r.left && l.right <= r.right + 0.5 && l.top >= r.top && l.bottom <= r.bottom + 0.5 };
})`;
