// Packages that a package imports but that are not installed (optional peers: NestJS asks for
// class-validator, @nestjs/microservices, … inside try/catch), and files a package requires but does
// not publish (uglify-js's `require("../test/reduce")` behind a flag, "assumes cloned repository").
// Under node the require() or import() fails when it runs, and the package's own catch decides; a
// bundler that fails the build instead makes such apps unbuildable. So such an import from package
// code becomes a module that throws MODULE_NOT_FOUND when it is loaded. The app's own imports stay
// build errors: the app's author can fix those.
import { existsSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { resolve } from 'node:path';
import type { Plugin } from 'esbuild';
import { splitSpecifier } from '../../runtime-stubs/vfs/resolve.ts';
import { findPackageDir } from '../embed/files/walk.ts';

/** A package that is not installed, or a relative file not in its package, and the first module importing it. */
export interface MissingPackage { name: string; from: string; kind: 'package' | 'file' }

const namespace = 'seabuild-missing';

/** Records into `missing` every not-installed package left to fail at run time. */
export function missingPackagesPlugin(missing: MissingPackage[]): Plugin {
  return {
    name: 'seabuild-missing-packages',
    setup(build) {
      build.onResolve({ filter: /^[^./]/ }, async (args) => {
        if (args.pluginData?.seabuildProbe || isBuiltin(args.path) || args.path.startsWith('seabuild:') || !args.importer.includes('/node_modules/')) return undefined;
        const { name } = splitSpecifier(args.path);
        // An installed package is esbuild's to resolve (or to fail on): only a package found nowhere is
        // probed, since a second resolution of every bare import doubled the plugins' work.
        if (findPackageDir(name, args.resolveDir)) return undefined;
        const probe = await build.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, importer: args.importer, pluginData: { seabuildProbe: true } });
        if (probe.errors.length === 0) return undefined;
        if (!missing.some((m) => m.name === name)) missing.push({ name, from: args.importer, kind: 'package' });
        return { path: args.path, namespace };
      });
      build.onResolve({ filter: /^\.\.?(\/|$)/ }, async (args) => {
        if (args.pluginData?.seabuildProbe || !args.importer.includes('/node_modules/') || nodeCouldFind(resolve(args.resolveDir, args.path))) return undefined;
        const probe = await build.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, importer: args.importer, pluginData: { seabuildProbe: true } });
        if (probe.errors.length === 0) return undefined;
        missing.push({ name: args.path, from: args.importer, kind: 'file' });
        return { path: args.path, namespace };
      });
      build.onLoad({ filter: /.*/, namespace }, (args) => ({
        contents: `throw Object.assign(new Error(${JSON.stringify(`Cannot find module '${args.path}': ${args.path.startsWith('.') ? 'its package does not publish it' : 'it was not installed when the executable was built'}`)}), { code: 'MODULE_NOT_FOUND' });`,
        loader: 'js',
      }));
    },
  };
}

// A quick look before esbuild's second resolution: LOAD_AS_FILE's names and a folder.
function nodeCouldFind(path: string): boolean {
  return ['', '.js', '.json', '.node', '.cjs', '.mjs', '.ts'].some((ext) => existsSync(path + ext));
}
