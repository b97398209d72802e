// What goes into the tree, and why:
//   - files and folders the bundled code opens by path (src/bundle/references.ts)
//   - scripts started by path, bundled on their own (src/bundle/entries.ts)
//   - native addons: imported ones, those a bundled package ships (bindings, node-gyp-build), and
//     whole dependencies that ship one without being bundled; plus their $ORIGIN libraries
//   - `include` globs per package ('.' is the app itself)
//   - `external` packages, whole, with their dependencies
//   - the package.json of every package with a carried file (module resolution reads it)
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import type { Metafile } from 'esbuild';
import { SeabuildError, type Warning } from '../../errors.ts';
import type { Machine } from '../../elf/index.ts';
import type { BundleTree } from '../../bundle/index.ts';
import { treePathOf, packageDirOf } from '../../bundle/tree-paths.ts';
import { globMatcher } from './glob.ts';
import { dependencyNames, findPackageDir, listFiles, optionalDependencyNames } from './walk.ts';
import { isElf } from './native.ts';
import { finishPackageFiles, type Candidate } from './finish.ts';
import { leftOutPaths } from './left-out.ts';
import { platformFieldsOf, runsOn } from './platform-plan.ts';
import type { PackageFiles } from './types.ts';
import type { TargetPlatform } from '../../platform/platforms.ts';

/** What collecting needs: the app, the bundle's findings and the config's include/external lists. */
export interface CollectInput {
  root: string;
  tree: BundleTree;
  metafile: Metafile;
  include: Record<string, string[]>;
  /** Globs per package ('.' the app) of files not to carry although found. */
  exclude?: Record<string, string[]>;
  external: string[];
  /** The target machine: ELF files for other machines (prebuilds) are left out. */
  machine: Machine;
  /** Another platform than the build machine's: packages whose os/cpu/libc exclude it are left out, and
   * its own platform packages are found in `packagesDir` (src/embed/files/platform-packages.ts). */
  platform?: { platform: TargetPlatform; packagesDir?: string };
}

/** Collects every file of the tree; warnings say what an include matched nothing. */
export async function collectPackageFiles(input: CollectInput): Promise<{ files: PackageFiles; warnings: Warning[] }> {
  const { root } = input;
  const candidates = new Map<string, Candidate>();
  const show = (file: string): string => relative(root, file).split(sep).join('/') || '.';
  const add = (sourcePath: string, reason: string, treePath = treePathOf(sourcePath, root), origin = sourcePath): void => {
    if (treePath !== undefined && !candidates.has(treePath)) candidates.set(treePath, { treePath, sourcePath, origin, reason });
  };
  for (const entry of input.tree.entries) add(entry.path, `bundled on its own: started by path from ${show(referrerOf(input.tree, entry.source))}`, entry.treePath, entry.source);
  for (const ref of input.tree.references) {
    const reason = `referenced by ${show(ref.from)}:${ref.line}`;
    if (ref.kind === 'data') add(ref.path, reason);
    else if (ref.kind === 'module') add(ref.path, `imported by ${show(ref.from)}, a script carried for a load by path`);
    else if (ref.kind === 'esm') for (const file of listFiles(packageDirOf(ref.path, root))) add(file, `ES modules for Node's loader: ${show(ref.path)} is imported at run time by ${show(ref.from)}:${ref.line}`);
    // A folder named by an explicit path form is opened by file name, maps included (socket.io serves its client's).
    else if (ref.kind === 'folder') for (const file of listFiles(ref.path, { developerFiles: true })) add(file, reason);
    else if (ref.kind === 'data-folder') for (const file of listFiles(ref.path, { dataOnly: true })) add(file, reason);
  }
  for (const addon of input.tree.addons) add(addon.path, `imported by ${show(addon.from)}`);
  // Tree mode: the tracer's files are the app (src/trace-files); nothing was bundled, so nothing is looked for beside a bundle.
  for (const file of input.tree.traced?.files ?? []) add(file.path, file.reason);
  for (const data of input.tree.packageData) {
    for (const file of listFiles(data.dir, { dataOnly: true, match: (rel) => !notRuntimeData.test(rel) })) add(file, `published data of a package that reads its own folder (${show(data.from)}:${data.line})`);
  }
  const bundled = input.tree.traced === undefined;
  if (bundled) addNativePackages(input, add);
  const entryManifest = bundled ? entryPackageManifest(input) : undefined;
  if (entryManifest) add(entryManifest, 'package manifest of the entry\'s package (a program finds its own version from require.main, as yargs does)');
  const warnings = addIncludes(input, add);
  if (bundled) addExternals(input, add, [...candidates.values()].map((c) => c.sourcePath), entryManifest);
  const files = await finishPackageFiles(withoutOtherPlatforms(withoutExcluded([...candidates.values()], input), input), root, input.machine);
  checkImportedAddons(input, files);
  const transports = transportsOf(input.tree);
  const leftOut = leftOutPaths(root, outsidePackageDirs(input), new Set(files.files.map((f) => f.treePath)));
  return { files: { ...files, ...(Object.keys(transports).length > 0 ? { transports } : {}), leftOut }, warnings };
}

/** Folders of bundled packages that lie outside the app's node_modules (a hoisted monorepo install). */
function outsidePackageDirs(input: CollectInput): string[] {
  const own = join(input.root, 'node_modules') + sep;
  const dirs = new Set<string>();
  for (const key of Object.keys(input.metafile.inputs)) {
    const abs = resolve(input.root, key);
    if (abs.includes(`${sep}node_modules${sep}`) && !abs.startsWith(own)) dirs.add(packageDirOf(abs, input.root));
  }
  return [...dirs].sort();
}

/** package.json of the package that holds the entry, when the entry is a package's program (node_modules/PKG/bin/…). */
function entryPackageManifest(input: CollectInput): string | undefined {
  const launcher = input.metafile.inputs['seabuild:launch'];
  // The launcher imports seabuild's runtime (under node_modules/seabuild when seabuild is installed) and the entry.
  const entry = launcher?.imports.map((i) => resolve(input.root, i.path)).find((path) => path.includes(`${sep}node_modules${sep}`) && !path.includes(`${sep}runtime-stubs${sep}`));
  if (!entry) return undefined;
  const manifest = join(packageDirOf(entry, input.root), 'package.json');
  return existsSync(manifest) ? manifest : undefined;
}

/** An addon the code imports by name must load on the target: not ELF, or for another machine, fails the build here. */
function checkImportedAddons(input: CollectInput, files: PackageFiles): void {
  for (const addon of input.tree.addons) {
    if (files.files.some((f) => f.sourcePath === addon.path && f.kind === 'addon')) continue;
    // Another platform's tree: an addon built here for this machine is named by checkTargetAddons (platform-plan.ts).
    if (input.platform && isElf(addon.path)) continue;
    const what = isElf(addon.path) ? `built for another machine than ${input.machine}` : 'not an ELF file';
    throw new SeabuildError({
      code: 'NATIVE_ADDON_INVALID',
      message: `native addon ${relative(input.root, addon.path)} (imported by ${relative(input.root, addon.from)}) is ${what}, so it cannot load in the executable`,
      file: addon.path,
      fix: 'reinstall the package on the target platform (npm rebuild), or build for the machine the addon was made for',
    });
  }
}

// What a package publishes for people, not for its code. (Scripts and declarations are not data either; a declaration
// a program does read, like a compiler's lib.*.d.ts, is found by its name: src/bundle/references.ts.)
// Nor are a native package's sources and build files (classic-level ships LevelDB's C++).
const notRuntimeData = /(^|\/)(LICEN[CS]E|NOTICE|COPYING)(\.[\w.-]*)?$|\.(c|cc|cpp|cxx|h|hh|hpp|hxx|gyp|gypi|mk|o|a|py|in|am|cmake)$|(^|\/)(Makefile|CMakeLists\.txt|binding\.gyp)$/i;

/** Drops the candidates `exclude` names (globs relative to their package folder; '.' is the app). */
function withoutExcluded(candidates: Candidate[], input: CollectInput): Candidate[] {
  const rules = Object.entries(input.exclude ?? {}).map(([name, patterns]) => ({ prefix: name === '.' ? '' : `node_modules/${name}/`, match: globMatcher(patterns) }));
  if (rules.length === 0) return candidates;
  return candidates.filter((c) => !rules.some((r) => {
    const rel = r.prefix === '' ? (c.treePath.includes('node_modules/') ? undefined : c.treePath) : (c.treePath.includes(r.prefix) ? c.treePath.slice(c.treePath.lastIndexOf(r.prefix) + r.prefix.length) : undefined);
    return rel !== undefined && r.match(rel);
  }));
}

/** For another platform: no file of a package whose os/cpu/libc exclude it (sharp.mjs's createRequire names the build machine's addon package by path). */
function withoutOtherPlatforms(candidates: Candidate[], input: CollectInput): Candidate[] {
  const target = input.platform?.platform;
  if (!target) return candidates;
  return candidates.filter((c) => !c.origin.includes(`${sep}node_modules${sep}`) || runsOn(platformFieldsOf(packageDirOf(c.origin, input.root)), target));
}

/** Transports named by specifier → tree path of the script bundled for each. */
function transportsOf(tree: BundleTree): Record<string, string> {
  const out: Record<string, string> = {};
  for (const ref of tree.references) {
    const entry = ref.specifier === undefined ? undefined : tree.entries.find((e) => e.source === ref.path);
    if (entry) out[ref.specifier!] = entry.treePath;
  }
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => (a < b ? -1 : 1)));
}

function referrerOf(tree: BundleTree, source: string): string {
  return tree.references.find((r) => r.path === source)?.from ?? source;
}

/** Packages in the bundle that ship .node files, and their not-bundled dependencies that do. */
function addNativePackages(input: CollectInput, add: (file: string, reason: string) => void): void {
  const bundled = new Set<string>();
  for (const key of Object.keys(input.metafile.inputs)) {
    const abs = join(input.root, key);
    if (abs.includes(`${sep}node_modules${sep}`)) bundled.add(packageDirOf(abs, input.root));
  }
  const isAddon = (rel: string): boolean => rel.endsWith('.node') && !rel.includes('obj.target/');
  for (const dir of [...bundled].sort()) {
    const name = relative(join(dir, '..'), dir);
    for (const file of listFiles(dir, { match: isAddon })) add(file, `native addon of ${name}, which the bundle loads`);
    const optional = new Set(optionalDependencyNames(dir));
    for (const dependency of dependencyNames(dir)) {
      const depDir = findDependency(input, dependency, dir);
      if (!depDir || bundled.has(depDir)) continue;
      // Platform packages (@esbuild/linux-x64, @img/sharp-linux-x64) are optional dependencies holding an addon or an executable.
      const files = listFiles(depDir);
      if (!files.some((f) => isAddon(f) || (optional.has(dependency) && isElf(f)))) continue;
      for (const file of files) add(file, `native dependency ${dependency} of ${name}`);
    }
  }
}

/** Where package `name` is for the target: its platform packages' folder first; undefined when the package is for another platform. */
function findDependency(input: CollectInput, name: string, fromDir: string): string | undefined {
  const own = input.platform?.packagesDir ? join(input.platform.packagesDir, name) : undefined;
  const dir = own && existsSync(join(own, 'package.json')) ? own : findPackageDir(name, fromDir);
  return dir && (!input.platform || runsOn(platformFieldsOf(dir), input.platform.platform)) ? dir : undefined;
}

function addIncludes(input: CollectInput, add: (file: string, reason: string) => void): Warning[] {
  const warnings: Warning[] = [];
  for (const [name, patterns] of Object.entries(input.include).sort()) {
    const dir = name === '.' ? input.root : findDependency(input, name, input.root);
    // An include of the build machine's platform package (sharp's libvips for x64) has no place in another platform's tree.
    if (!dir && findPackageDir(name, input.root)) continue;
    if (!dir) {
      throw new SeabuildError({ code: 'INCLUDE_PACKAGE_NOT_FOUND', message: `include names package "${name}", which is not installed`, file: join(input.root, 'package.json'), fix: `install it (npm install ${name}) or remove it from "include"` });
    }
    // What the user names is carried, READMEs and .md files too (docsify-cli copies lib/template/README.md).
    const files = listFiles(dir, { developerFiles: true, match: globMatcher(patterns) }).filter((f) => name !== '.' || !f.includes(`${sep}node_modules${sep}`));
    if (files.length === 0) warnings.push({ code: 'INCLUDE_NO_MATCH', message: `include ${JSON.stringify(patterns)} of ${name === '.' ? 'the app' : `package ${name}`} matches no file`, file: dir, fix: 'check the globs: they are relative to the package folder' });
    for (const file of files) add(file, `include of ${name === '.' ? 'the app' : name}`);
  }
  return warnings;
}

/** External packages are embedded whole, with everything they require at run time. */
function addExternals(input: CollectInput, add: (file: string, reason: string) => void, carried: string[], entryManifest: string | undefined): void {
  const seen = new Set<string>();
  const visit = (name: string, fromDir: string, why: string): void => {
    const dir = findDependency(input, name, fromDir);
    if (!dir || seen.has(dir)) return;
    seen.add(dir);
    for (const file of listFiles(dir)) add(file, why);
    for (const dependency of dependencyNames(dir)) visit(dependency, dir, `dependency of carried package ${name}`);
  };
  for (const name of input.external) {
    if (/^[@\w][\w.@/-]*$/.test(name) && !name.includes('*')) visit(name, input.root, `external package ${name}`);
  }
  // A dependency the app declares but no bundled module imports by name is loaded at run time by a
  // name the bundler cannot see: a view engine (express: require(engine)), a plugin loaded by path
  // (fastify-autoload's files then require their own packages). It is carried whole, as under node.
  // Only a dependency the app's own code names in a string: `app.set('view engine', 'ejs')`, or a
  // carried file's require('fastify-plugin'); an app folder with many entries carries no one else's.
  const bundled = Object.keys(input.metafile.inputs).join('\n');
  const appCode = [...Object.keys(input.metafile.inputs).filter((path) => !/^[a-z-]+:|^[(<]/.test(path)).map((path) => resolve(input.root, path)), ...carried]
    .filter((path) => !path.includes(`${sep}node_modules${sep}`) && /\.(c|m)?[jt]sx?$/.test(path))
    .map((path) => { try { return readFileSync(path, 'utf8'); } catch { return ''; } })
    .join('\n');
  const named = (name: string): boolean => appCode.includes(`'${name}'`) || appCode.includes(`"${name}"`);
  for (const name of dependencyNames(input.root)) {
    // seabuild itself is the build tool; its runtime is bundled from its own folder.
    if (name !== 'seabuild' && !bundled.includes(`node_modules/${name}/`) && named(name)) visit(name, input.root, `dependency of the app that no bundled module imports by name (${name} is loaded at run time)`);
  }
  // A program from npm (the entry is node_modules/PKG/…) is one program: a dependency it declares and
  // no bundled module imports is a plugin it loads by a computed name (verdaccio's
  // createRequire(import.meta.url)(`verdaccio-${id}`) for verdaccio-htpasswd), carried whole.
  if (entryManifest) {
    const programDir = dirname(entryManifest);
    for (const name of dependencyNames(programDir)) {
      if (!bundled.includes(`node_modules/${name}/`)) visit(name, programDir, `dependency of the program ${relative(input.root, programDir)} that no bundled module imports (a plugin it loads by a computed name)`);
    }
  }
}
