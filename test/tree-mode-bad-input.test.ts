// Issue 22's bad input for framework output (tree mode), on a build output written here as a
// framework writes one (a git-ignored build/ folder):
//   - files of the output that no import names (a framework's static files, or a stray file) are
//     carried, and the build's normal output names them: the first ten, then how many more;
//   - a chunk loaded by a relative path that leaves what is carried (`require('../../elsewhere.js')`,
//     `import('../../elsewhere.mjs')` from build/server.js, out of the app folder): the build warns
//     (TREE_LOAD_OUTSIDE, naming the module), and the executable fails as node fails without that file
//     (MODULE_NOT_FOUND / ERR_MODULE_NOT_FOUND), never loading a file that happens to lie beside its
//     extracted tree (a decoy is put there).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { build } from '../src/index.ts';
import type { Logger } from '../src/log.ts';
import { node24 } from './helpers/fixture.ts';

const server = [
  "const what = process.argv[2];",
  "const show = (e) => console.log(e.code, e.message.split('\\n')[0]);",
  "if (what === 'require') { try { require('../../elsewhere.js'); console.log('loaded'); } catch (e) { show(e); } }",
  "if (what === 'import') import('../../elsewhere.mjs').then(() => console.log('loaded'), show);",
  // The static folder's name comes from a manifest, as a framework's does: no tracer can follow it.
  "if (what === 'static') console.log(require('fs').readdirSync(require('path').join(__dirname, require('./manifest.json').static)).length);",
].join('\n');

let parent: string;
let app: string;
let runDir: string;
let cache: string;
let executable: string;
let warnings: Array<{ code: string; message: string; file?: string }>;
const lines: string[] = [];

before(async () => {
  // The app's parent folder holds no elsewhere.*: node run in the app fails to load them.
  parent = await mkdtemp(join(tmpdir(), 'seabuild-bad-output-'));
  app = join(parent, 'app');
  await mkdir(join(app, 'build/static'), { recursive: true });
  await writeFile(join(app, 'package.json'), JSON.stringify({ name: 'bad-output', version: '1.0.0', private: true }));
  await writeFile(join(app, '.gitignore'), '/build/\n/dist/\n');
  await writeFile(join(app, 'build/server.js'), `${server}\n`);
  await writeFile(join(app, 'build/manifest.json'), JSON.stringify({ static: 'static' }));
  // Twelve static files no import names (served by a computed path).
  for (let i = 1; i <= 12; i++) await writeFile(join(app, 'build/static', `page-${String(i).padStart(2, '0')}.html`), `<p>${i}</p>\n`);
  const logger: Logger = { info: (line: string) => { lines.push(line); }, warn: () => {}, debug: () => {} };
  const result = await build({ cwd: app, entry: 'build/server.js', image: false, logger, env: { ...process.env, SOURCE_DATE_EPOCH: '1700000000' } });
  executable = result.platforms[0]!.executable.path;
  warnings = result.warnings;
  runDir = await mkdtemp(join(tmpdir(), 'seabuild-bad-output-run-'));
  cache = await mkdtemp(join(tmpdir(), 'seabuild-bad-output-xdg-'));
  // Decoys beside the extracted tree (<cache>/seabuild/<id>/build/server.js + ../../): where a relative
  // path out of the tree lands. Node run in the app would never see them; the executable must not either.
  await mkdir(join(cache, 'seabuild'), { recursive: true });
  await writeFile(join(cache, 'seabuild/elsewhere.js'), "console.log('DECOY');\n");
  await writeFile(join(cache, 'seabuild/elsewhere.mjs'), "console.log('DECOY');\n");
});

after(async () => {
  for (const dir of [parent, runDir, cache]) if (dir) await rm(dir, { recursive: true, force: true });
});

const run = (command: string, args: string[], cwd: string) => execa(command, args, { cwd, reject: false, env: { XDG_CACHE_HOME: cache, NODE_OPTIONS: '' } });

test('files of the build output that no import names are carried and named in the normal output: ten, then how many more', async () => {
  const at = lines.findIndex((l) => l.includes('12 files of the build output no import names'));
  assert.ok(at >= 0, lines.join('\n'));
  assert.deepEqual(lines.slice(at + 1, at + 12).map((l) => l.trim()), [
    ...Array.from({ length: 10 }, (_, i) => `build/static/page-${String(i + 1).padStart(2, '0')}.html`),
    'and 2 more (--debug lists them)',
  ]);
  const expected = await run(node24, ['build/server.js', 'static'], app);
  const actual = await run(executable, ['static'], runDir);
  assert.equal(expected.stdout, '12');
  assert.deepEqual([actual.stdout, actual.exitCode], [expected.stdout, expected.exitCode]);
});

test('a chunk loaded by a relative path out of the app: the build warns naming the module, the executable fails as node does', async () => {
  const outside = warnings.filter((w) => w.code === 'TREE_LOAD_OUTSIDE');
  assert.deepEqual(outside.map((w) => w.file), [join(app, 'build/server.js'), join(app, 'build/server.js')]);
  assert.match(outside[0]!.message, /^build\/server\.js loads \.\.\/\.\.\/elsewhere\.js \(.*\/elsewhere\.js\), outside what the executable carries/);
  assert.match(outside[1]!.message, /^build\/server\.js loads \.\.\/\.\.\/elsewhere\.mjs /);

  const required = { node: await run(node24, ['build/server.js', 'require'], app), executable: await run(executable, ['require'], runDir) };
  assert.equal(required.node.stdout, "MODULE_NOT_FOUND Cannot find module '../../elsewhere.js'");
  assert.deepEqual([required.executable.stdout, required.executable.stderr, required.executable.exitCode], [required.node.stdout, required.node.stderr, required.node.exitCode]);

  // ESM names absolute paths (the app's under node, the tree's in the executable): the same sentence.
  const imported = { node: await run(node24, ['build/server.js', 'import'], app), executable: await run(executable, ['import'], runDir) };
  const shape = /^ERR_MODULE_NOT_FOUND Cannot find module '\/.*\/elsewhere\.mjs' imported from \/.*\/build\/server\.js$/;
  assert.match(imported.node.stdout, shape);
  assert.match(imported.executable.stdout, shape);
  assert.deepEqual([imported.executable.stderr, imported.executable.exitCode], [imported.node.stderr, imported.node.exitCode]);
});
