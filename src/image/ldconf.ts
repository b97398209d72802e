// The system half of ld.so's search: the directories ldconfig(8) indexes and the built-in defaults.
// We read /etc/ld.so.conf (and its `include` files) instead of the binary /etc/ld.so.cache: the
// cache is built from exactly these directories, in this order, and text is simpler to read and to
// fake in a test sysroot. (The cache can also hold glibc-hwcaps subdirectories; Debian 12 ships none.)

import { readFile, readdir } from 'node:fs/promises';
import { dirname, posix } from 'node:path';
import type { Machine } from '../elf/index.ts';
import { hostPathOf } from './rooted-path.ts';

/** The multiarch triplet Debian uses in library paths for each machine. */
const TRIPLETS: Record<Machine, string> = { x86_64: 'x86_64-linux-gnu', aarch64: 'aarch64-linux-gnu' };

// glibc's SYSTEM_DIRS as Debian 12 builds it: `ld-linux-x86-64.so.2 --help` lists exactly these four
// "system search path" entries (no /lib64: that directory holds only the loader's symlink).
/** The directories ld.so searches last, after the ld.so.cache, for `machine`. */
export function defaultLibraryDirs(machine: Machine): string[] {
  const triplet = TRIPLETS[machine];
  return [`/lib/${triplet}`, `/usr/lib/${triplet}`, '/lib', '/usr/lib'];
}

/** Values of the ld.so(8) dynamic string tokens other than $ORIGIN, for `machine` on Debian. */
export function dynamicStringTokens(machine: Machine): { LIB: string; PLATFORM: string } {
  return { LIB: `lib/${TRIPLETS[machine]}`, PLATFORM: machine };
}

/**
 * The directories listed in `sysroot`/etc/ld.so.conf, in order, following `include` lines
 * (glob patterns, sorted as glob(3) sorts them). A missing file gives no directories.
 */
export async function readLdSoConfDirs(sysroot: string): Promise<string[]> {
  const dirs: string[] = [];
  await readConfFile(sysroot, '/etc/ld.so.conf', dirs, new Set());
  return [...new Set(dirs)];
}

async function readConfFile(sysroot: string, path: string, dirs: string[], seen: Set<string>): Promise<void> {
  if (seen.has(path)) return; // an include loop would make ldconfig recurse forever; read each file once
  seen.add(path);
  const text = await readFile(hostPathOf(sysroot, path), 'utf8').catch(() => undefined);
  if (text === undefined) return;
  for (const rawLine of text.split('\n')) {
    const line = rawLine.replace(/#.*/, '').trim();
    if (line === '') continue;
    const include = /^include\s+(.+)$/.exec(line);
    if (include) {
      for (const pattern of (include[1] as string).split(/\s+/)) {
        const absolute = pattern.startsWith('/') ? pattern : posix.join(dirname(path), pattern);
        for (const file of await expandGlob(sysroot, absolute)) await readConfFile(sysroot, file, dirs, seen);
      }
      continue;
    }
    if (/^hwcap\s/i.test(line)) continue; // obsolete hwcap lines name no directory
    // ldconfig takes the whole line as one directory; a legacy "=TYPE" suffix is dropped.
    const dir = line.replace(/=.*$/, '').replace(/\/+$/, '');
    if (dir.startsWith('/')) dirs.push(dir);
  }
}

/** Expands a glob pattern (`*`, `?`, `[…]` in any component) to the sorted list of paths that exist under `sysroot`. */
async function expandGlob(sysroot: string, pattern: string): Promise<string[]> {
  let matches = ['/'];
  for (const part of pattern.split('/').filter((p) => p !== '')) {
    const next: string[] = [];
    for (const base of matches) {
      if (!/[*?[]/.test(part)) { next.push(posix.join(base, part)); continue; }
      const names = await readdir(hostPathOf(sysroot, base)).catch(() => [] as string[]);
      const regex = globToRegExp(part);
      for (const name of names.sort()) if (regex.test(name) && !(name.startsWith('.') && !part.startsWith('.'))) next.push(posix.join(base, name));
    }
    matches = next;
  }
  return matches;
}

// glob(3) patterns as ldconfig expands them. Every literal character is escaped; a `[` without its
// `]` is a literal `[`, and a bracket expression the RegExp engine refuses (a range such as `[z-a]`)
// matches nothing, as fnmatch(3) treats it (fuzzing found both raising a SyntaxError).
function globToRegExp(part: string): RegExp {
  let source = '';
  for (let i = 0; i < part.length; i += 1) {
    const char = part[i] as string;
    const end = char === '[' ? part.indexOf(']', i + 2) : -1;
    if (char === '*') source += '[^/]*';
    else if (char === '?') source += '[^/]';
    else if (end > i) {
      source += bracketExpression(part.slice(i + 1, end));
      i = end;
    } else source += escapeLiteral(char);
  }
  return new RegExp(`^${source}$`);
}

function bracketExpression(body: string): string {
  const negated = body.startsWith('!') || body.startsWith('^');
  const members = (negated ? body.slice(1) : body).replace(/[\\\]^[]/g, '\\$&');
  if (members === '') return escapeLiteral(`[${body}]`);
  const source = `[${negated ? '^' : ''}${members}]`;
  try {
    new RegExp(source);
    return source;
  } catch {
    return '(?!)';
  }
}

function escapeLiteral(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
