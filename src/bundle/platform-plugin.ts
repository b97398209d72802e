// Platform packages stay out of the bundle: sharp's dist/sharp.cjs names every platform's addon
// package literally (`require("@img/sharp-linux-arm64/sharp.node")` in a switch on the platform), and
// esbuild would bundle the one npm installed here (x64) and leave the others as missing. One bundle
// serves every target platform (issue 12), so an import of a package that is an optional dependency
// of the importing package and is platform-specific (os/cpu/libc in its package.json) or not
// installed at all becomes a run-time require through the tree, from the importer's folder: the tree
// of each platform carries that platform's package (src/embed/files/target-tree.ts), and a package
// no tree carries fails with MODULE_NOT_FOUND when loaded, as under node.
import { readFileSync } from 'node:fs';
import { posix } from 'node:path';
import type { Plugin } from 'esbuild';
import { splitSpecifier } from '../../runtime-stubs/vfs/resolve.ts';
import { findPackageDir } from '../embed/files/walk.ts';
import { packageDirOf, treePathOf } from './tree-paths.ts';

const namespace = 'seabuild-platform-package';

/** The plugin; `appRoot` is the app's folder (tree paths are relative to it). */
export function platformPackagesPlugin(appRoot: string): Plugin {
  return {
    name: 'seabuild-platform-packages',
    setup(build) {
      // Every bare import of package code asks about its importer's package.json: read each once.
      const manifests = new Map<string, Record<string, any> | undefined>();
      const readManifest = (dir: string): Record<string, any> | undefined => {
        if (!manifests.has(dir)) manifests.set(dir, readManifestFile(dir));
        return manifests.get(dir);
      };
      const optionalDependencyOf = (packageDir: string, name: string): boolean => Boolean(readManifest(packageDir)?.optionalDependencies?.[name]);
      const declaresPlatform = (dir: string): boolean => {
        const pkg = readManifest(dir);
        return Boolean(pkg?.os?.length || pkg?.cpu?.length || pkg?.libc?.length);
      };
      build.onResolve({ filter: /^[^./]/ }, (args) => {
        if (!args.importer.includes('/node_modules/') || args.path.startsWith('seabuild:') || args.path.startsWith('node:')) return undefined;
        const { name } = splitSpecifier(args.path);
        if (!optionalDependencyOf(packageDirOf(args.importer, appRoot), name)) return undefined;
        const installed = findPackageDir(name, args.resolveDir);
        if (installed && !declaresPlatform(installed)) return undefined;
        const from = treePathOf(args.resolveDir, appRoot) ?? '';
        return { path: args.path, namespace, pluginData: { from } };
      });
      build.onLoad({ filter: /.*/, namespace }, (args) => ({
        contents: `module.exports = __seabuild.requireFrom(${JSON.stringify(posix.normalize(args.pluginData.from || '.') === '.' ? '' : args.pluginData.from)}, ${JSON.stringify(args.path)});`,
        loader: 'js',
      }));
    },
  };
}

function readManifestFile(dir: string): Record<string, any> | undefined {
  try {
    return JSON.parse(readFileSync(`${dir}/package.json`, 'utf8'));
  } catch {
    return undefined;
  }
}
