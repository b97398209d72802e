// Issue 22's leftover shapes, each reduced to a few lines of the REAL package (test/corpus-shapes,
// installed from its lockfile): built with no configuration, the executable started from a folder
// that holds no node_modules and no sources (only what the command line names), and compared byte
// for byte (stdout, stderr, exit code) with `node ENTRY` in that same folder.
//   - ESLint 9's CLI (bundled): `--format NAME` loads lib/cli-engine/formatters/NAME.js by a computed
//     path; the formatter, carried in the tree, requires '../../shared/text-table', which was only in
//     the bundle (`Cannot find module`): src/bundle/carried-scripts.ts.
//   - @fontsource: a data file of another package named by `require.resolve('<pkg>/files/x.woff2')` or
//     `import.meta.resolve(…)`, read with fs (import.meta.resolve was a TypeError in the bundle and
//     carried nothing): src/bundle/references.ts, src/bundle/import-meta.ts.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cp, mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { node24, repoRoot, seabuildBin } from './helpers/fixture.ts';
import { installLockedModules } from './helpers/packages-fixture.ts';

const source = join(repoRoot, 'test/corpus-shapes');

interface ShapeCase { name: string; entry: string; cli?: boolean; runs: string[][] }

const cases: ShapeCase[] = [
  { name: 'eslint', entry: 'node_modules/eslint/bin/eslint.js', cli: true, runs: [['input'], ['--format', 'stylish', 'input'], ['--format', 'json', 'input'], ['--format', 'json-with-metadata', 'input']] },
  { name: 'font-file', entry: 'entries/font-file.cjs', runs: [[]] },
  { name: 'font-meta', entry: 'entries/font-meta.mjs', runs: [[]] },
  { name: 'font-tla', entry: 'entries/font-tla.mjs', runs: [[]] },
];

let corpus: string;
let runDir: string;
let cache: string;
const logs = new Map<string, string>();

async function run(program: string, args: string[], env: Record<string, string> = {}) {
  const result = await execa(program, args, { cwd: runDir, reject: false, timeout: 120_000, env: { NODE_OPTIONS: '', ...env } });
  return { stdout: result.stdout, stderr: result.stderr, exitCode: result.exitCode };
}

before(async () => {
  corpus = await mkdtemp(join(tmpdir(), 'seabuild-shapes-'));
  await cp(source, corpus, { recursive: true, filter: (src) => !/\/(node_modules|dist)(\/|$)/.test(src) });
  const modules = await installLockedModules({ source, name: 'corpus-shapes', keyExtra: '24', node: node24, env: {} });
  await execa('cp', ['-al', modules, join(corpus, 'node_modules')]);
  await symlink(repoRoot, join(corpus, 'node_modules/seabuild'));
  // The folder the commands run in: ESLint's config and the file it lints, nothing else.
  runDir = await mkdtemp(join(tmpdir(), 'seabuild-shapes-run-'));
  await cp(join(source, 'input'), join(runDir, 'input'), { recursive: true });
  await cp(join(source, 'eslint.config.js'), join(runDir, 'eslint.config.js'));
  cache = await mkdtemp(join(tmpdir(), 'seabuild-shapes-xdg-'));
  for (const c of cases) {
    const built = await execa(node24, [seabuildBin, 'build', '--entry', c.entry, '--name', c.name, '--out-dir', join('dist', c.name), '--no-image', ...(c.cli ? ['--cli'] : [])], {
      cwd: corpus, reject: false, all: true, timeout: 300_000, env: { SOURCE_DATE_EPOCH: '1700000000' },
    });
    assert.equal(built.exitCode, 0, `${c.name}: ${built.all}`);
    logs.set(c.name, String(built.all));
  }
});

after(async () => {
  for (const dir of [corpus, runDir, cache]) if (dir) await rm(dir, { recursive: true, force: true });
});

describe('leftover shapes of real packages, compared with plain node', () => {
  for (const c of cases) {
    for (const args of c.runs) {
      test(`${c.name} ${args.join(' ')}`.trim(), async () => {
        const expected = await run(node24, [join(corpus, c.entry), ...args]);
        const actual = await run(join(corpus, 'dist', c.name, c.name), args, { XDG_CACHE_HOME: cache });
        assert.deepEqual(actual, expected);
      });
    }
  }

  test('the build says why it carried the formatter\'s module and the font files', () => {
    assert.match(logs.get('eslint')!, /embeds [\w-]+: \d+ files?, [\d.]+ MB — imported by node_modules\/[\w/.-]+, a script carried for a load by path/);
    assert.match(logs.get('font-file')!, /embeds @fontsource\/vt323: 2 files, [\d.]+ MB — referenced by entries\/font-file\.cjs:6/);
    assert.match(logs.get('font-meta')!, /embeds @fontsource\/vt323: 2 files, [\d.]+ MB — referenced by entries\/font-meta\.mjs:5/);
  });
});
