// Tree mode's answer to "which files will `node ENTRY` open": @vercel/nft (Node File Trace), the
// tracer Next.js uses to make its standalone folder and Nitro its .output. It reads the modules'
// syntax (require/import/require.resolve, fs reads, `new URL(…, import.meta.url)`,
// `path.join(__dirname, …)`, computed requires as globs) and knows the native-addon loaders
// (bindings, node-gyp-build, node-pre-gyp, sharp). Framework output also loads its own chunks and
// serves its own folders by paths computed from manifests no tracer can read: the whole output
// folder is carried too, and what the tracer did not account for there is listed.
import { nodeFileTrace } from '@vercel/nft';
import { transform } from 'esbuild';
import { existsSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { listFiles } from '../embed/files/walk.ts';
import { outputFolderOf } from './output-folder.ts';
import { findReferences } from '../bundle/references.ts';
import { lexSource } from '../bundle/js-lexer.ts';
import { loadsOutside, type OutsideLoad } from './outside.ts';
import { findPackagePaths } from './package-paths.ts';

export { outputFolderOf } from './output-folder.ts';

/** One file the tree carries in tree mode, and why. */
export interface TracedFile {
  /** Absolute path on the build machine. */
  path: string;
  reason: string;
}

/** What the trace found. */
export interface TracedFiles {
  files: TracedFile[];
  /** The build output folder carried whole (absolute), when the entry lies in one. */
  outputDir?: string;
  /** Files of that folder the tracer did not reach (relative to the app root): carried, and listed by the build. */
  untraced: string[];
  /** The app imports `seabuild/runtime` (it calls runApp): the launcher provides it; seabuild's own files are not carried. */
  runApp: boolean;
  /** What nft could not resolve (a missing optional module is normal: node fails the same way when it is loaded). */
  unresolved: string[];
  /** Modules loaded by a path that leaves what is carried (outside.ts): not in the executable, and the build says so. */
  outside: OutsideLoad[];
}

/** The default arguments (config `args`) that name a file of the app, as absolute paths. */
export function argumentFiles(config: { root: string; args?: string[] }): string[] {
  return (config.args ?? []).map((arg) => resolve(config.root, arg)).filter((file) => file.startsWith(`${config.root}${sep}`) && existsSync(file) && statSync(file).isFile());
}

// Node runs TypeScript by stripping its types; nft parses JavaScript only (acorn), so it reads the stripped text.
const typeScript = /(?<!\.d)\.(c|m)?tsx?$/;

/** The JavaScript of a TypeScript module, imports kept; the source itself when it does not parse (nft then reports it, as for any file). */
async function withoutTypes(path: string, source: Buffer): Promise<string | Buffer> {
  try {
    return (await transform(source.toString('utf8'), { loader: path.endsWith('x') ? 'tsx' : 'ts', sourcefile: path, logLevel: 'silent' })).code;
  } catch {
    return source;
  }
}

/** A module nft does not see the traced files load: its path and why it is carried. */
interface Unseen { path: string; reason: string }

/**
 * Modules the traced files load in ways nft's analysis misses, not traced yet: ES modules imported
 * through an import() hidden in `new Function` (prettier's CLI: references.ts finds those), and
 * scripts named by a path built from require.resolve (package-paths.ts: Node-RED runs npm's
 * bin/npm-cli.js so). Each file is read once (`scanned`); the rounds only read what is new.
 */
async function unseenModules(root: string, fileList: Set<string>, scanned: Map<string, Unseen[]>, ignore: (rel: string) => boolean): Promise<Unseen[]> {
  const found = new Map<string, Unseen>();
  for (const rel of fileList) {
    if (!/\.(c|m)?js$/.test(rel)) continue;
    const file = resolve(root, rel);
    let refs = scanned.get(file);
    if (!refs) scanned.set(file, (refs = await scanModule(root, file)));
    for (const ref of refs) {
      const refRel = relative(root, ref.path).split(sep).join('/');
      // nft's own ignore rule holds for them too: nothing outside a closed output folder, no seabuild files.
      if (!fileList.has(refRel) && !refRel.startsWith('../') && !ignore(refRel)) found.set(ref.path, ref);
    }
  }
  return [...found.values()].sort((a, b) => (a.path < b.path ? -1 : 1));
}

async function scanModule(root: string, file: string): Promise<Unseen[]> {
  const source = await readFile(file, 'utf8').catch(() => '');
  if (!source.includes('new Function') && !source.includes('require.resolve(')) return [];
  const lexed = lexSource(source);
  const at = (line: number): string => `${relative(root, file).split(sep).join('/')}:${line}`;
  const hidden = source.includes('new Function') ? findReferences(lexed, file, root).filter((ref) => ref.kind === 'esm')
    .map((ref) => ({ path: ref.path, reason: `traced: import() hidden in new Function from ${at(ref.line)}` })) : [];
  const named = findPackagePaths(lexed, file).filter((ref) => /\.(c|m)?js$/.test(ref.path))
    .map((ref) => ({ path: ref.path, reason: `traced: a script named by a path from require.resolve in ${at(ref.line)}` }));
  return [...hidden, ...named];
}

/** True when a folder from the entry's up to `outputDir` holds a node_modules: the output carries its packages. */
function hasOwnPackages(outputDir: string, entry: string): boolean {
  for (let dir = dirname(entry); dir.startsWith(outputDir); dir = dirname(dir)) {
    if (existsSync(join(dir, 'node_modules'))) return true;
    if (dir === outputDir) break;
  }
  return false;
}

/** Traces `entry` (absolute) from the app `root`; `outputDir` (absolute) is carried whole besides. */
export async function traceFiles(input: { root: string; entry: string; outputDir?: string; args?: string[]; toolDir?: string }): Promise<TracedFiles> {
  const { root, entry } = input;
  // An output folder with its own node_modules is closed: its framework traced it already and copied
  // what it runs (Next's standalone, Nitro's .output/server): it is carried as it is, node_modules
  // included (chunks require packages by computed names), and nothing outside it is.
  const closed = input.outputDir !== undefined && hasOwnPackages(input.outputDir, entry);
  const outside = closed ? `${relative(root, input.outputDir!).split(sep).join('/')}/` : undefined;
  // seabuild itself (node_modules/seabuild, or a link to its checkout): the build tool, whose runtime the launcher carries.
  let runApp = false;
  const isTool = (path: string): boolean => {
    const abs = resolve(root, path);
    const tool = /(^|\/)node_modules\/seabuild(\/|$)/.test(path) || (input.toolDir !== undefined && (abs === input.toolDir || abs.startsWith(`${input.toolDir}${sep}`)) && !abs.startsWith(`${root}${sep}`));
    if (tool) runApp = true;
    return tool;
  };
  const options = {
    // One analysis cache for the rounds below: a later round re-reads no file an earlier one analysed.
    cache: Object.create(null),
    base: root,
    processCwd: root,
    // Node's own conditions: the ones `node ENTRY` resolves package exports with.
    conditions: ['node'],
    // The app's own development folders are no part of what node opens; nor is npm's node_modules/.bin, links to
    // package bins that nft reaches only through a folder computed from process.cwd() (npm's own `npm exec`).
    ignore: (path: string) => path.startsWith('.git/') || path.includes('node_modules/.cache/') || path.includes('node_modules/.bin/') || (outside !== undefined && outside !== '/' && !path.startsWith(outside)) || isTool(path),
    // A package's "exports" may name a file its publisher (or Next's standalone trace) left out
    // (semver's ./preload): nft resolves it without looking and then fails the whole trace. Node
    // fails only when that file is loaded; so does the executable (the file is not carried).
    readFile: async (path: string) => {
      let source: Buffer;
      try { source = await readFile(path); } catch (error) { if (['ENOENT', 'EISDIR'].includes((error as NodeJS.ErrnoException).code ?? '')) return ''; throw error; }
      return typeScript.test(path) ? withoutTypes(path, source) : source;
    },
  };
  // Files named by the default arguments are modules the entry loads by that path: traced as entries too;
  // so are the modules nft does not see loaded (unseenModules), round by round as they bring new files.
  const inputs = [entry, ...argumentFiles({ root, ...(input.args ? { args: input.args } : {}) })];
  const scanned = new Map<string, Unseen[]>();
  const reasons = new Map<string, string>();
  let result = await nodeFileTrace(inputs, options);
  for (let round = 0, unseen = await unseenModules(root, result.fileList, scanned, options.ignore); unseen.length > 0 && round < 3; round++, unseen = await unseenModules(root, result.fileList, scanned, options.ignore)) {
    for (const module of unseen) { inputs.push(module.path); reasons.set(module.path, module.reason); }
    result = await nodeFileTrace(inputs, options);
  }
  const files = new Map<string, TracedFile>();
  for (const rel of [...result.fileList].sort()) {
    const reason = result.reasons.get(rel);
    const abs = isAbsolute(rel) ? rel : resolve(root, rel);
    if (reason?.ignored || !existsSync(abs)) continue;
    const parent = reason ? [...reason.parents][0] : undefined;
    files.set(abs, { path: abs, reason: parent ? `traced: ${reason!.type.join('+')} from ${parent}` : reasons.get(abs) ?? 'the entry' });
  }
  const untraced: string[] = [];
  if (input.outputDir) {
    for (const file of listFiles(input.outputDir, { developerFiles: true, nested: closed })) {
      if (files.has(file)) continue;
      const rel = relative(root, file).split(sep).join('/');
      if (!rel.includes('node_modules/')) untraced.push(rel);
      const where = relative(root, input.outputDir) || '.';
      files.set(file, { path: file, reason: rel.includes('node_modules/') ? `package file of the build output ${where} (its framework traced and copied it)` : `in the build output ${where} (not reached by the tracer: loaded or served by a computed path)` });
    }
  }
  const unresolved = [...result.warnings].map((w) => w.message).filter((m) => /^Failed to resolve/.test(m)).sort();
  const outsideLoads = loadsOutside(result, root, closed ? input.outputDir! : root);
  return { files: [...files.values()].sort((a, b) => (a.path < b.path ? -1 : 1)), ...(input.outputDir ? { outputDir: input.outputDir } : {}), untraced: untraced.sort(), runApp, unresolved, outside: outsideLoads };
}
