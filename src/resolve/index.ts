// `seabuild resolve -f FILE|DIR` (ko resolve): builds and pushes each app that a `seabuild://PATH`
// names, once however often it is named, and returns the manifests with `registry/name@sha256:…`
// in place of each reference, every other byte as it was. Building is passed in (the CLI gives
// the library's build), so this module composes stages without being one.
import { existsSync, realpathSync, statSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join, resolve as resolvePath } from 'node:path';
import { SeabuildError, usageError } from '../errors.ts';
import { findImageReferences, replaceSpans, SCHEME, type ImageReferenceSpan } from './find.ts';

export { findImageReferences, replaceSpans } from './find.ts';

/** Builds and pushes the app in `appDir`; returns its pushed `registry/name@sha256:…`. */
export type BuildAndPush = (appDir: string) => Promise<string>;

export interface ResolveInput {
  /** Files or folders (their *.yaml / *.yml, sorted) given with -f. */
  files: string[];
  /** Where `seabuild://PATH` paths are relative to (ko: the current folder). */
  cwd: string;
  buildAndPush: BuildAndPush;
}

/** One resolved manifest file. */
export interface ResolvedFile { path: string; text: string; references: Array<{ path: string; line: number; image: string }> }

export interface Resolved {
  files: ResolvedFile[];
  /** App folder → pushed digest reference, in build order. */
  images: Map<string, string>;
  /** All files, joined as one YAML stream (`---` between files). */
  text: string;
}

/** Finds every reference first (a bad manifest fails before any build), then builds each app once. */
export async function resolveManifests(input: ResolveInput): Promise<Resolved> {
  const paths = await manifestFiles(input.files, input.cwd);
  const found: Array<{ path: string; text: string; spans: ImageReferenceSpan[] }> = [];
  for (const path of paths) {
    const text = await readFile(path, 'utf8');
    const spans = findImageReferences(text, path);
    for (const span of spans) checkApp(resolvePath(input.cwd, span.path), path, span);
    found.push({ path, text, spans });
  }
  // By real path: one app named through two paths (a symlink) is built once, and the build gets
  // the folder itself (a build through a symlinked folder mis-resolves seabuild's own files).
  const appDir = (span: ImageReferenceSpan): string => realpathSync(resolvePath(input.cwd, span.path));
  const images = new Map<string, string>();
  for (const { spans } of found) {
    for (const span of spans) {
      const dir = appDir(span);
      if (!images.has(dir)) images.set(dir, await input.buildAndPush(dir));
    }
  }
  const files = found.map(({ path, text, spans }) => ({
    path,
    text: replaceSpans(text, spans, (span) => images.get(appDir(span))!),
    references: spans.map((span) => ({ path: span.path, line: span.line, image: images.get(appDir(span))! })),
  }));
  return { files, images, text: joinStreams(files.map((file) => file.text)) };
}

/** An app is a folder with a package.json; anything else is named with the manifest line. */
function checkApp(dir: string, file: string, span: ImageReferenceSpan): void {
  if (existsSync(join(dir, 'package.json'))) return;
  const what = !existsSync(dir) ? 'does not exist' : statSync(dir).isDirectory() ? 'has no package.json' : 'is not a folder';
  throw new SeabuildError({
    code: 'RESOLVE_NOT_AN_APP',
    message: `${SCHEME}${span.path} is not an app: ${dir} ${what}`,
    file, line: span.line,
    fix: `point ${SCHEME}PATH at the folder of an app's package.json (relative to the folder seabuild resolve runs in)`,
  });
}

async function manifestFiles(given: string[], cwd: string): Promise<string[]> {
  if (given.length === 0) throw usageError('resolve needs -f FILE or -f DIR', 'seabuild resolve -f k8s/');
  const out: string[] = [];
  for (const each of given) {
    const path = resolvePath(cwd, each);
    if (!existsSync(path)) throw new SeabuildError({ code: 'RESOLVE_FILE_NOT_FOUND', message: 'no such manifest file or folder', file: path, fix: 'check the -f path' });
    if (!statSync(path).isDirectory()) { out.push(path); continue; }
    const names = (await readdir(path)).filter((name) => /\.ya?ml$/.test(name)).sort();
    out.push(...names.map((name) => join(path, name)));
  }
  return out;
}

/** One YAML stream from several files: a `---` line between two files unless the next starts with one. */
function joinStreams(texts: string[]): string {
  return texts.reduce((all, text, index) => {
    if (index === 0) return text;
    const separator = /^---(\s|$)/.test(text) ? '' : '---\n';
    return `${all}${all.endsWith('\n') ? '' : '\n'}${separator}${text}`;
  }, '');
}
