// When the entry is a framework's build output, and which folder that output is. The rule is the
// one every framework's generator already writes down: its build folder is in the app's .gitignore
// (/.next/, .output, /build, dist). An entry inside a git-ignored folder (other than node_modules)
// is generated code: it was built, traced and split into chunks by its framework, it loads them and
// serves its static folders by computed paths, and re-bundling it is not `node ENTRY` any more.
// git answers the question itself (`git check-ignore`, all of .gitignore's rules) from a bare
// repository of its own over the app folder: the app's own .gitignore files decide, not those of a
// repository around it (an app copied into an ignored tmp/ folder would be all build output).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, sep } from 'node:path';

/**
 * The build output folder that holds `entry` (absolute), or undefined when the entry is not build
 * output (or git is not installed: tree mode is then only the explicit `"bundle": false`).
 * It is the highest git-ignored folder above the entry, or, inside it, the copy of the app made to
 * run alone (a folder with the app's own package name and a node_modules: Next's standalone).
 */
export function outputFolderOf(root: string, entry: string): string | undefined {
  const rel = relative(root, entry);
  if (rel.startsWith('..') || rel.split(sep).includes('node_modules')) return undefined;
  const folders: string[] = [];
  for (let dir = dirname(entry); dir !== root && dir.startsWith(root + sep); dir = dirname(dir)) folders.unshift(dir);
  if (folders.length === 0) return undefined;
  const ignored = ignoredPaths(root, folders);
  const top = folders.find((dir) => ignored.has(dir));
  if (!top) return undefined;
  const appName = packageName(join(root, 'package.json'));
  const copy = folders.slice(folders.indexOf(top)).reverse()
    .find((dir) => appName !== undefined && packageName(join(dir, 'package.json')) === appName && existsSync(join(dir, 'node_modules')));
  return copy ?? top;
}

function packageName(file: string): string | undefined {
  try { return JSON.parse(readFileSync(file, 'utf8')).name; } catch { return undefined; }
}

/** The subset of `paths` (absolute, folders under `root`) that git ignores by the app's rules. */
function ignoredPaths(root: string, paths: string[]): Set<string> {
  const args = ['check-ignore', '--no-index', '--stdin', '-z'];
  const input = paths.map((p) => `${relative(root, p).split(sep).join('/')}/`).join('\0');
  let gitDir: string | undefined;
  try {
    gitDir = mkdtempSync(join(tmpdir(), 'seabuild-git-'));
    run(['init', '--quiet', '--bare', gitDir], '');
    const out = run(['--git-dir', gitDir, '--work-tree', root, '-C', root, ...args], input);
    return new Set(out.split('\0').filter(Boolean).map((p) => join(root, p.replace(/\/$/, ''))));
  } catch {
    return new Set(); // no git here: no automatic tree mode
  } finally {
    if (gitDir) rmSync(gitDir, { recursive: true, force: true });
  }
}

/** git's stdout; exit status 1 of check-ignore means "none ignored". */
function run(args: string[], input: string): string {
  try {
    return execFileSync('git', args, { input, encoding: 'utf8', stdio: ['pipe', 'pipe', 'ignore'] });
  } catch (error) {
    const e = error as { status?: number; stdout?: string };
    if (e.status === 1 && args.includes('check-ignore')) return e.stdout ?? '';
    throw error;
  }
}
