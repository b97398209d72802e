// The bundle, broken down by where its bytes came from: the app's own modules, each npm package,
// seabuild's runtime (its modules and the banner), and esbuild's glue (module wrappers). esbuild's metafile gives
// each input's `bytesInOutput`; whatever the output has beyond their sum is glue.
import { isAbsolute, relative, resolve } from 'node:path';
import type { Metafile } from 'esbuild';
import { componentOf, type ComponentInfo, type Piece } from './pieces.ts';
import { byteOrder } from '../order.ts';
import { SEABUILD_ROOT } from '../package-root.ts';
import { lastPackageDir } from '../package-path.ts';

export { SEABUILD_ROOT };

/** What `bundlePieces` needs. */
export interface BundleInput {
  path: string;
  sizeBytes: number;
  metafile: Metafile;
  /** The folder esbuild resolved input paths against (the app's root). */
  root: string;
  /** The banner's bytes (seabuild's runtime bootstrap), which the metafile does not list. */
  bannerBytes?: number;
  /** The metafile's name of the generated launcher module (the bundle stage records it). */
  launcherInput?: string;
  /** Each package folder of the inputs (as the metafile names it) → its package.json version (the bundle stage records them). */
  packageVersions?: Record<string, string>;
  layer: string | null;
}

/** One piece per bundle input, grouped into components, plus the glue; together exactly `sizeBytes`. */
export function bundlePieces(input: BundleInput): Piece[] {
  const splitOf = { key: 'bundle', source: { path: input.path } };
  const pieces: Piece[] = [];
  for (const [inputPath, bytes] of bundleInputs(input.metafile)) {
    const component = classifyInput(inputPath, input.root, input.packageVersions ?? {}, input.launcherInput);
    pieces.push({ component: component.info, layer: input.layer, sizeBytes: bytes, source: null, splitOf, file: { path: component.shownPath, sizeBytes: bytes } });
  }
  if (input.bannerBytes) {
    const runtime = componentOf('js:seabuild-runtime', 'seabuild-runtime', 'seabuild runtime');
    pieces.push({ component: runtime, layer: input.layer, sizeBytes: input.bannerBytes, source: null, splitOf, file: { path: 'seabuild/vfs/bootstrap (banner)', sizeBytes: input.bannerBytes } });
  }
  const inputBytes = pieces.reduce((n, p) => n + p.sizeBytes, 0);
  const glue = componentOf('js:glue', 'bundle-glue', 'bundle glue (esbuild module wrappers)');
  pieces.push({ component: glue, layer: input.layer, sizeBytes: Math.max(0, input.sizeBytes - inputBytes), source: null, splitOf });
  return pieces;
}

/** `[input path, bytesInOutput]` over every JavaScript output (source maps are not bundled). */
function bundleInputs(metafile: Metafile): Array<[string, number]> {
  const totals = new Map<string, number>();
  for (const [outputPath, output] of Object.entries(metafile.outputs)) {
    if (outputPath.endsWith('.map')) continue;
    for (const [inputPath, { bytesInOutput }] of Object.entries(output.inputs)) {
      if (bytesInOutput > 0) totals.set(inputPath, (totals.get(inputPath) ?? 0) + bytesInOutput);
    }
  }
  return [...totals].sort(([a], [b]) => byteOrder(a, b));
}

interface Classified { info: ComponentInfo; shownPath: string }

/** Which component a metafile input belongs to, and the stable path to show for it. */
function classifyInput(inputPath: string, root: string, versions: Record<string, string>, launcherInput: string | undefined): Classified {
  // The generated launcher module (src/bundle/launcher.ts) is seabuild's runtime.
  if (inputPath === launcherInput) return { info: componentOf('js:seabuild-runtime', 'seabuild-runtime', 'seabuild runtime'), shownPath: 'seabuild/launch' };
  // Namespaced inputs (`(disabled):fs`, `<define:…>`, plugin namespaces) are not files.
  if (/^[(<]|^[a-z-]+:/.test(inputPath)) return { info: componentOf('js:glue', 'bundle-glue', 'bundle glue (esbuild module wrappers)'), shownPath: inputPath };
  const absolute = isAbsolute(inputPath) ? inputPath : resolve(root, inputPath);
  const packageMatch = lastPackageDir(inputPath);
  if (absolute.startsWith(`${SEABUILD_ROOT}/`) || packageMatch?.name === 'seabuild') {
    const shown = absolute.startsWith(`${SEABUILD_ROOT}/`) ? relative(SEABUILD_ROOT, absolute) : inputPath.slice(packageMatch!.end);
    return { info: componentOf('js:seabuild-runtime', 'seabuild-runtime', 'seabuild runtime'), shownPath: `seabuild/${shown}` };
  }
  if (packageMatch) {
    const { name, dir } = packageMatch;
    const version = versions[dir];
    return { info: componentOf(`npm:${name}`, 'npm-package', name, { source: 'npm', name, ...(version ? { version } : {}) }), shownPath: inputPath };
  }
  return { info: componentOf('js:app', 'app-code', 'app code'), shownPath: inputPath };
}
