// Issue 11's corpus: real packages and apps (test/corpus-packages/corpus.json), each built with NO
// configuration (`seabuild build --entry ENTRY`, `--cli` for programs) once per node version; each
// run's stdout, stderr and exit code must equal plain node's, byte for byte — standalone on Node 24,
// 22 and 26, and inside the image's rootfs (chroot, as the image's user) on Node 24.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { execa } from 'execa';
import { node24, removeFixture, seabuildBin } from './helpers/fixture.ts';
import { abiInstaller, copyCorpus, corpusEntries, type CorpusEntry } from './helpers/packages-corpus.ts';
import { nodeBinary, otherNodeVersions } from './helpers/node-versions.ts';

const isRoot = process.getuid?.() === 0;
const entries = corpusEntries();
let installerNodedir: string;

async function run(program: string, args: string[], cwd: string, env: Record<string, string> = {}) {
  const result = await execa(program, args, { cwd, reject: false, timeout: 120_000, env: { NODE_OPTIONS: '', ...env } });
  return { stdout: result.stdout, stderr: result.stderr, exitCode: result.exitCode };
}

/** Builds every entry with no configuration into `dist-<label>/<name>`; returns each one's build log. */
async function buildAll(corpus: string, label: string, node: string, image: boolean): Promise<Map<string, string>> {
  const logs = new Map<string, string>();
  for (const e of entries.filter((x) => !x.build)) {
    const cwd = join(corpus, e.dir ?? '.');
    const out = join(corpus, `dist-${label}`, e.name);
    const args = ['build', '--entry', e.entry, '--name', e.name, '--out-dir', out, '--node', node, ...(e.cli ? ['--cli'] : []), ...(image ? ['--context', join(out, 'context'), '--no-verify', '--compression', 'zstd'] : ['--no-image'])];
    // npm_config_nodedir names the installing node's headers, as under `npm run` on a machine whose
    // npmrc sets nodedir: the addon rebuild must still build against the target's.
    const built = await execa(node24, [seabuildBin, ...args], { cwd, reject: false, all: true, env: { SOURCE_DATE_EPOCH: '1700000000', npm_config_nodedir: installerNodedir } });
    assert.equal(built.exitCode, 0, `${e.name}: ${built.all}`);
    logs.set(e.name, built.all ?? '');
  }
  return logs;
}

/** The plain-node run of an entry: the same command line under `node`. */
async function reference(node: string, e: CorpusEntry, cwd: string) {
  return run(e.referenceNode ? await nodeBinary(e.referenceNode) : node, [...(e.reference ?? [e.entry]), ...e.args], cwd);
}

/** TypeScript entries run under node from their own tsc output; `@app/*` paths through a node_modules link. */
async function compileReferences(corpus: string): Promise<void> {
  await execa(node24, ['node_modules/typescript/bin/tsc', '-p', 'nest/tsconfig.json'], { cwd: corpus });
  mkdirSync(join(corpus, 'nest/out/node_modules'), { recursive: true });
  symlinkSync('../src', join(corpus, 'nest/out/node_modules/@app'));
}

for (const version of ['24', ...otherNodeVersions]) {
  describe(`corpus, node ${version}`, () => {
    let corpus: string;
    let node: string;
    let cache: string;
    let logs: Map<string, string>;
    const image = version === '24' && isRoot;
    before(async () => {
      installerNodedir = dirname(dirname(await nodeBinary(abiInstaller)));
      node = version === '24' ? node24 : await nodeBinary(version);
      corpus = await copyCorpus();
      cache = mkdtempSync(join(tmpdir(), 'seabuild-xdg-'));
      await compileReferences(corpus);
      logs = await buildAll(corpus, version, node, image);
    });
    after(async () => {
      await removeFixture(corpus);
      rmSync(cache, { recursive: true, force: true });
    });

    for (const e of entries) {
      test(`${e.name}: ${e.point}`, async () => {
        const cwd = join(corpus, e.dir ?? '.');
        const expected = await reference(node, e, cwd);
        const exe = join(corpus, `dist-${version}`, e.build ?? e.name, e.build ?? e.name);
        const actual = await run(exe, e.args, cwd, { XDG_CACHE_HOME: cache });
        assert.deepEqual(actual, expected);
        if (!image) return;
        // Inside the image's rootfs: the files the command names are copied to the same relative place under /.
        const rootfs = join(corpus, `dist-${version}`, e.build ?? e.name, 'context/rootfs');
        if (existsSync(join(cwd, 'input'))) cpSync(join(cwd, 'input'), join(rootfs, 'input'), { recursive: true });
        mkdirSync(join(rootfs, 'tmp'), { recursive: true, mode: 0o1777 });
        const inImage = await run('chroot', ['--userspec=65532:65532', rootfs, '/app', ...e.args], cwd, { TMPDIR: '/tmp' });
        assert.deepEqual(inImage, expected, 'in the image rootfs');
      });
    }

    test('the build says what it carried, rebuilt and compiled, and why', () => {
      assert.match(logs.get('tsc')!, /embeds typescript: \d+ files, [\d.]+ MB — published data of a package that reads its own folder/);
      assert.match(logs.get('nest')!, /compiled 6 files with typescript 5\.9\.3 \(the app's\) for emitDecoratorMetadata/);
      assert.match(logs.get('nest')!, /not installed: class-validator \(imported by node_modules\/@nestjs\/common\/pipes\/validation\.pipe\.js\); it fails when loaded, as under node/);
      assert.match(logs.get('fs-ext')!, /rebuilt fs-ext for NODE_MODULE_VERSION \d+ \(node v[\d.]+\): node_modules\/fs-ext\/build\/Release\/fs_ext\.node was built for 115/);
      assert.match(logs.get('classic-level')!, /embeds classic-level: [1-5] files, 0\.\d\d MB/);
    });
  });
}
