// `load-addons` (run by the build's smoke run inside the image): dlopen() every native addon of the
// embedded tree, so a shared library missing from the image fails the build, not the first upload.
import { getAsset, isSea } from 'node:sea';
import { treeManifestKey, type TreeManifest } from './vfs/manifest.ts';

/** Loads each `.node` file of the tree; resolves with 0, or throws naming the addon that failed. */
export async function loadAddons(out: (line: string) => void): Promise<number> {
  const manifest = readManifest();
  const root: string = (globalThis as any).__seabuild.root;
  const path = process.getBuiltinModule('node:path');
  const addons = Object.keys(manifest?.files ?? {}).filter((rel) => rel.endsWith('.node')).sort();
  for (const rel of addons) {
    const file = path.join(root, rel);
    try {
      process.dlopen({ exports: {} }, file);
      out(`loaded ${rel}`);
    } catch (error) {
      // dlopen() succeeded (every library it needs was found) but the file registers no Node module:
      // a plain shared library named .node, such as better-sqlite3's test_extension.node.
      if (/did not self-register/.test((error as Error).message)) { out(`loaded ${rel} (a shared library, not a Node addon)`); continue; }
      throw new Error(`native addon ${rel} does not load: ${(error as Error).message}`, { cause: error });
    }
  }
  out(`${addons.length} native addon${addons.length === 1 ? '' : 's'} loaded`);
  return 0;
}

function readManifest(): TreeManifest | undefined {
  if (!isSea()) return undefined;
  try {
    return JSON.parse(getAsset(treeManifestKey, 'utf8'));
  } catch {
    return undefined; // built without a tree
  }
}
