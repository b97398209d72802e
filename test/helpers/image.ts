// Builds small real images for the image tests: the checked-in `hello` ELF with the shared libraries
// `ldd` reports for it. ldd is only a test oracle here; the product reads ELF headers (closure.ts).
import { execFileSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { appendLayers, emptyImage, withConfig, type Image } from '../../src/image/image.ts';
import { createLayer, type Compression, type Layer } from '../../src/image/layer.ts';
import { resolveRooted } from '../../src/image/rooted-path.ts';
import { layoutRootfs, type RootfsInput } from '../../src/image/rootfs.ts';
import type { Rootfs } from '../../src/rootfs/index.ts';

/** The test executable (see src/image/testdata/README.md). */
export const HELLO = resolve(import.meta.dirname, '../../src/image/testdata/hello');

/** What `/app` prints with no arguments. */
export const HELLO_OUTPUT = 'hello from scratch 4.0\n';

/** The SOURCE_DATE_EPOCH of every test image (2023-11-14T22:13:20Z). */
export const TEST_EPOCH = 1_700_000_000;

/** The libraries, loader and symlinks of `executable` as ldd and the host filesystem see them. */
export async function closureByLdd(executable: string): Promise<Pick<RootfsInput, 'libraries' | 'symlinks' | 'interpreter'>> {
  const output = execFileSync('ldd', [executable], { encoding: 'utf8' });
  const resolveHost = async (path: string) => {
    const resolved = await resolveRooted('/', path);
    if (!resolved) throw new Error(`ldd named ${path}, which does not exist`);
    return { path, realPath: resolved.realPath, symlinks: resolved.symlinks };
  };
  const libraries = await Promise.all([...output.matchAll(/=> (\/\S+)/g)].map((match) => resolveHost(match[1]!)));
  const interpreterPath = /^\s*(\/\S*ld-linux\S*)/m.exec(output)?.[1];
  const interpreter = interpreterPath ? await resolveHost(interpreterPath) : undefined;
  const symlinks = new Map([...libraries, ...(interpreter ? [interpreter] : [])].flatMap((each) => each.symlinks).map((link) => [link.path, link]));
  return { libraries, symlinks: [...symlinks.values()], interpreter };
}

/** The hello rootfs: system layer from ldd's closure, app layer with /app. */
export async function helloRootfs(overrides: Partial<RootfsInput> = {}): Promise<Rootfs> {
  return layoutRootfs({ executablePath: HELLO, ...(await closureByLdd(HELLO)), ...overrides });
}

/** The hello image, configured as seabuild configures an app image. */
export async function helloImage(options: { workDir: string; compression?: Compression; rootfs?: Rootfs; machine?: 'x86_64' | 'aarch64' }): Promise<{ image: Image; layers: Layer[]; rootfs: Rootfs }> {
  const rootfs = options.rootfs ?? await helloRootfs();
  const layers: Layer[] = [];
  for (const layer of rootfs.layers) {
    layers.push(await createLayer(layer.entries, { compression: options.compression ?? 'gzip', sourceDateEpoch: TEST_EPOCH, workDir: join(options.workDir, 'layers') }));
  }
  // Another machine's image of the same files: an index of two platforms whose layers are shared.
  const base = emptyImage({ machine: options.machine ?? 'x86_64', sourceDateEpoch: TEST_EPOCH });
  const image = withConfig(appendLayers(base, layers, rootfs.layers.map((layer) => ({ createdBy: `seabuild: ${layer.name} layer` }))), {
    entrypoint: ['/app'],
    user: '65532:65532',
    env: { TZ: 'UTC' },
    exposedPorts: [8080],
    workingDir: '/',
    labels: { 'org.opencontainers.image.title': 'hello', 'org.opencontainers.image.version': '0.1.0' },
    stopSignal: 'SIGTERM',
    healthcheck: { test: ['CMD', '/app', 'healthcheck'], intervalMs: 30_000, timeoutMs: 5_000, startPeriodMs: 1_000, retries: 3 },
  });
  return { image, layers, rootfs };
}
