// Benchmark (issue 13): bytes a client pulls for a one-line code change and for a new asset, on
// Kitteh. Three releases are pushed to a private registry (distribution 2.8); podman 4.3 pulls the
// first (the baseline: a cold pull), then each next one, through a loopback TCP proxy that counts
// the bytes on the wire. Prints each pull's bytes and its ratio to the cold pull.
// Usage: node_modules/.bin/node scripts/bench-pull.ts [--compression gzip|zstd] [--layout executable|split]
import { cp, mkdtemp, readFile, rm, symlink, writeFile, appendFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from '../src/index.ts';
import { createPodman, startRegistry } from '../test/helpers/engines.ts';
import { startTcpProxy } from '../test/helpers/tcp-proxy.ts';

const repoRoot = resolve(import.meta.dirname, '..');
const compression = (process.argv.includes('--compression') ? process.argv[process.argv.indexOf('--compression') + 1] : 'gzip') as 'gzip' | 'zstd';
const layout = (process.argv.includes('--layout') ? process.argv[process.argv.indexOf('--layout') + 1] : 'executable') as 'executable' | 'split';
const app = await mkdtemp(join(tmpdir(), 'seabuild-bench-pull-'));
const registry = await startRegistry();
const proxy = await startTcpProxy(registry.address);
const podman = await createPodman();
try {
  await cp(join(repoRoot, 'examples/kitteh'), app, { recursive: true, verbatimSymlinks: true, filter: (src) => !src.startsWith(join(repoRoot, 'examples/kitteh/dist')) });
  await rm(join(app, 'node_modules/seabuild'), { force: true });
  await symlink(repoRoot, join(app, 'node_modules/seabuild'));
  const name = `${proxy.address}/kitteh/web`;
  const release = async (tag: string) => {
    const result = await build({ cwd: app, env: { ...process.env, SOURCE_DATE_EPOCH: '1700000000' }, image: { name, tag, compression, layout }, push: true, insecureRegistry: true, verify: false, sbom: 'none' });
    return result.platforms[0]!.image!.layers.map((layer) => `${layer.name} ${layer.sizeBytes}`).join(', ');
  };
  const pull = async (tag: string) => {
    proxy.reset();
    const pulled = await podman.podman(['pull', '--tls-verify=false', `${name}:${tag}`], { timeoutMs: 300_000 });
    if (pulled.exitCode !== 0) throw new Error(pulled.stderr);
    return proxy.downBytes();
  };
  const layers1 = await release('1');
  // A one-line code change: one more adjective for the cat names.
  const words = join(app, 'src/words.ts');
  await writeFile(words, (await readFile(words, 'utf8')).replace('export const adjectives: readonly string[] = [', "export const adjectives: readonly string[] = [\n  'Benchmarked',"));
  const layers2 = await release('2');
  // An asset change: one new file under public/.
  await appendFile(join(app, 'public/robots.txt'), 'User-agent: *\nDisallow: /upload\n');
  const layers3 = await release('3');
  const cold = await pull('1');
  const code = await pull('2');
  const asset = await pull('3');
  const mb = (n: number) => `${(n / 1e6).toFixed(2)} MB`;
  console.log(`kitteh, layout ${layout}, ${compression}, podman ${(await podman.podman(['--version'])).stdout.trim()} pulling from distribution 2.8 via a counting loopback proxy`);
  console.log(`release 1 layers (compressed bytes): ${layers1}`);
  console.log(`release 2 layers: ${layers2}`);
  console.log(`release 3 layers: ${layers3}`);
  console.log(`cold pull of release 1      ${mb(cold)}  ratio 1.000`);
  console.log(`pull of 2 (one-line change) ${mb(code)}  ratio ${(code / cold).toFixed(3)}`);
  console.log(`pull of 3 (new asset)       ${mb(asset)}  ratio ${(asset / cold).toFixed(3)}`);
  // The pulled image works: Kitteh's selftest resizes with sharp inside it.
  const selftest = await podman.podman(['run', '--rm', '--network', 'none', '--read-only', `${name}:3`, 'selftest'], { timeoutMs: 120_000 });
  console.log(`podman run ${name}:3 selftest → exit ${selftest.exitCode}${selftest.exitCode === 0 ? '' : `: ${selftest.stderr.slice(-500)}`}`);
} finally {
  await podman.remove();
  await proxy.stop();
  await registry.stop();
  await rm(app, { recursive: true, force: true });
}
