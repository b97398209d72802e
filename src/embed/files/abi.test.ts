import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { execFileSync } from 'node:child_process';
import type { SeabuildError } from '../../errors.ts';
import { alignAddonAbi, findNpmNodeGyp, nodeGypEnv } from './abi.ts';
import { finishPackageFiles } from './finish.ts';

const quiet = { info: () => {}, warn: () => {}, error: () => {} } as never;

test('an addon for another NODE_MODULE_VERSION that cannot be rebuilt fails the build, naming the package and the fix', async () => {
  const root = mkdtempSync(join(tmpdir(), 'seabuild-abi-'));
  try {
    const pkg = join(root, 'node_modules/old-addon');
    mkdirSync(join(pkg, 'build/Release'), { recursive: true });
    writeFileSync(join(pkg, 'package.json'), JSON.stringify({ name: 'old-addon' }));
    writeFileSync(join(root, 'addon.c'), 'void node_register_module_v1(void) {}\n');
    const addon = join(pkg, 'build/Release/old.node');
    execFileSync('cc', ['-shared', '-fPIC', '-o', addon, join(root, 'addon.c')]);
    const files = await finishPackageFiles([{ treePath: 'node_modules/old-addon/build/Release/old.node', sourcePath: addon, origin: addon, reason: 'test' }], root, process.arch === 'arm64' ? 'aarch64' : 'x86_64');
    await assert.rejects(alignAddonAbi(files, process.execPath, root, quiet, process.arch === 'arm64' ? 'aarch64' : 'x86_64'), (error: SeabuildError) => {
      assert.equal(error.code, 'NATIVE_ADDON_ABI_MISMATCH');
      assert.equal(error.file, addon);
      assert.match(error.message, /of package old-addon was compiled for NODE_MODULE_VERSION 1, but the executable's node v[\d.]+ needs \d+, and seabuild could not rebuild it: the package ships no binding.gyp/);
      assert.match(error.fix!, /npm rebuild old-addon/);
      return true;
    });
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('N-API addons and addons for the target ABI are kept as they are', async () => {
  const root = mkdtempSync(join(tmpdir(), 'seabuild-abi-'));
  try {
    writeFileSync(join(root, 'addon.c'), `void node_register_module_v${process.versions.modules}(void) {}\nvoid* napi_register_module_v1(void) { return 0; }\n`);
    const addon = join(root, 'same.node');
    execFileSync('cc', ['-shared', '-fPIC', '-o', addon, join(root, 'addon.c')]);
    const files = await finishPackageFiles([{ treePath: 'same.node', sourcePath: addon, origin: addon, reason: 'test' }], root, process.arch === 'arm64' ? 'aarch64' : 'x86_64');
    assert.equal(await alignAddonAbi(files, process.execPath, root, quiet, process.arch === 'arm64' ? 'aarch64' : 'x86_64'), files);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test("node-gyp's environment: npm's settings that choose another target are replaced by the target's headers", () => {
  const env = nodeGypEnv({ PATH: '/bin', npm_config_nodedir: '/usr', NPM_CONFIG_TARGET: '20.20.2', npm_package_config_node_gyp_nodedir: '/old', npm_config_python: '/usr/bin/python3', NODE_OPTIONS: '--inspect' }, '/target');
  assert.deepEqual(env, { PATH: '/bin', npm_config_python: '/usr/bin/python3', NODE_OPTIONS: '', npm_config_nodedir: '/target' });
});

test("npm's node-gyp is found from the npm on PATH when node is the `node` npm package's binary (whose prefix has no npm)", async () => {
  const bin = mkdtempSync(join(tmpdir(), 'seabuild-npm-path-'));
  try {
    // What npm scripts put first on PATH: node_modules/.bin with the `node` package's node, and no npm there.
    const nodeBin = join(process.cwd(), 'node_modules/.bin');
    const npm = execFileSync('sh', ['-c', 'command -v npm'], { encoding: 'utf8' }).trim();
    const expected = join(dirname(dirname(realpathSync(npm))), 'node_modules/node-gyp/bin/node-gyp.js');
    assert.equal(await findNpmNodeGyp({ PATH: `${nodeBin}${delimiter}${bin}${delimiter}${dirname(npm)}` }), expected);
    assert.equal(await findNpmNodeGyp({ PATH: bin, npm_execpath: realpathSync(npm) }), expected);
  } finally {
    rmSync(bin, { recursive: true, force: true });
  }
});
