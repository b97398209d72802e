// The bundle, broken down by where its bytes came from: the app's own modules, each npm package,
// seabuild's runtime (its modules and the banner), and esbuild's glue (module wrappers). esbuild's metafile gives
// each input's `bytesInOutput`; whatever the output has beyond their sum is glue.
import { readFileSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import type { Metafile } from 'esbuild';
import { componentOf, type ComponentInfo, type Piece } from './pieces.ts';
import { launcherSpecifier } from '../bundle/launcher.ts';
import { SEABUILD_ROOT } from '../package-root.ts';

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
  layer: string | null;
}

/** One piece per bundle input, grouped into components, plus the glue; together exactly `sizeBytes`. */
export function bundlePieces(input: BundleInput): Piece[] {
  const splitOf = { key: 'bundle', source: { path: input.path } };
  const versions = new Map<string, string | undefined>();
  const pieces: Piece[] = [];
  for (const [inputPath, bytes] of bundleInputs(input.metafile)) {
    const component = classifyInput(inputPath, input.root, versions);
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
  return [...totals].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

interface Classified { info: ComponentInfo; shownPath: string }

/** Which component a metafile input belongs to, and the stable path to show for it. */
function classifyInput(inputPath: string, root: string, versions: Map<string, string | undefined>): Classified {
  // The generated launcher module (src/bundle/launcher.ts) is seabuild's runtime.
  if (inputPath === launcherSpecifier) return { info: componentOf('js:seabuild-runtime', 'seabuild-runtime', 'seabuild runtime'), shownPath: 'seabuild/launch' };
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
    if (!versions.has(dir)) versions.set(dir, readPackageVersion(resolve(root, dir)));
    const version = versions.get(dir);
    return { info: componentOf(`npm:${name}`, 'npm-package', name, { source: 'npm', name, ...(version ? { version } : {}) }), shownPath: inputPath };
  }
  return { info: componentOf('js:app', 'app-code', 'app code'), shownPath: inputPath };
}

/** The innermost `node_modules/<name>` of a path (`@scope/name` included). */
function lastPackageDir(path: string): { name: string; dir: string; end: number } | undefined {
  let found: { name: string; dir: string; end: number } | undefined;
  // The trailing slash is a lookahead: `a/node_modules/b` must not eat the `/` before `node_modules/c`.
  for (const match of path.matchAll(/(?:^|\/)node_modules\/((?:@[^/]+\/)?[^/]+)(?=\/)/g)) {
    const end = match.index + match[0].length;
    found = { name: match[1]!, dir: path.slice(0, end), end: end + 1 };
  }
  return found;
}

function readPackageVersion(dir: string): string | undefined {
  try {
    const version = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).version;
    return typeof version === 'string' ? version : undefined;
  } catch {
    return undefined;
  }
}
