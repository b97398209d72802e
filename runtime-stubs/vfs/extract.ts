// The standalone executable's ELF files (native addons, their libraries, shipped executables) must
// be real files: dlopen(3) and execve(2) read only from disk. They are written once to a
// content-addressed folder, `<base>/<tree id>/`, keeping their relative layout (so an addon's
// RUNPATH `$ORIGIN/../../sharp-libvips-linux-x64/lib` still finds its library), verified, then
// renamed into place in one step: two processes starting at once never see a half-written folder,
// and a later start finds it complete and writes nothing.
import type { TreeManifest } from './manifest.ts';

const fs = process.getBuiltinModule('node:fs');
const path = process.getBuiltinModule('node:path');
// node:crypto only when files are written (once per tree and machine): loading it costs ~8 ms.
const crypto = () => process.getBuiltinModule('node:crypto');

/** `$XDG_CACHE_HOME/seabuild`, else a private folder of this user under the temp dir. */
export function extractionBase(env: NodeJS.ProcessEnv): string {
  if (env.XDG_CACHE_HOME && path.isAbsolute(env.XDG_CACHE_HOME)) return path.join(env.XDG_CACHE_HOME, 'seabuild');
  return path.join(tmpDir(env), `seabuild-${process.getuid?.() ?? 'user'}`);
}

/** os.tmpdir() on POSIX, without loading node:os (0.4 ms of every start). */
function tmpDir(env: NodeJS.ProcessEnv): string {
  const dir = env.TMPDIR || env.TMP || env.TEMP || '/tmp';
  return dir.length > 1 && dir.endsWith('/') ? dir.slice(0, -1) : dir;
}

/** Ensures every ELF file of the manifest exists under `root`; returns how many files were written. */
export function extractElfFiles(manifest: TreeManifest, root: string, read: (rel: string) => Buffer): number {
  const elf = Object.entries(manifest.files).filter(([, record]) => record.sha256 !== undefined);
  if (elf.length === 0 || isComplete(root, elf)) return 0;
  const base = path.dirname(root);
  ensurePrivateDir(base);
  // A folder appears only by the rename below, complete; so one found incomplete now (a temp cleaner
  // took files) is moved aside, never patched in place. Checked again: another process may have just
  // renamed its complete copy into place.
  if (fs.existsSync(root) && !isComplete(root, elf)) {
    const stale = `${root}.stale-${process.pid}-${crypto().randomBytes(4).toString('hex')}`;
    try { fs.renameSync(root, stale); } catch (error) { if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error; }
    fs.rmSync(stale, { recursive: true, force: true });
  }
  if (isComplete(root, elf)) return 0;
  const temp = `${root}.tmp-${process.pid}-${crypto().randomBytes(4).toString('hex')}`;
  try {
    for (const [rel, record] of elf) {
      const target = path.join(temp, rel);
      fs.mkdirSync(path.dirname(target), { recursive: true, mode: 0o755 });
      fs.writeFileSync(target, read(rel), { mode: record.mode, flag: 'wx' });
      const written = crypto().createHash('sha256').update(fs.readFileSync(target)).digest('hex');
      if (written !== record.sha256) throw new Error(`extracted ${rel} does not match the build (sha256 ${written}, expected ${record.sha256}); the disk under ${base} may be full or faulty`);
    }
    fsyncTree(temp);
    fs.renameSync(temp, root);
    return elf.length;
  } catch (error) {
    fs.rmSync(temp, { recursive: true, force: true });
    // Another process renamed its complete copy first: use that one.
    if (isComplete(root, elf)) return 0;
    throw error;
  }
}

function isComplete(root: string, elf: Array<[string, { sizeBytes: number }]>): boolean {
  return elf.every(([rel, record]) => {
    try { return fs.statSync(path.join(root, rel)).size === record.sizeBytes; } catch { return false; }
  });
}

/** The base folder must be ours alone: another user who could write to it could swap a library. */
function ensurePrivateDir(dir: string): void {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const stat = fs.lstatSync(dir);
  const uid = process.getuid?.();
  if (!stat.isDirectory() || (uid !== undefined && stat.uid !== uid) || (stat.mode & 0o022) !== 0) {
    throw new Error(`cannot extract native addons into ${dir}: it is not a directory owned by this user and writable only by it; set XDG_CACHE_HOME to a private folder`);
  }
}

function fsyncTree(dir: string): void {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) fsyncTree(full);
    const fd = fs.openSync(full, 'r');
    try { fs.fsyncSync(fd); } finally { fs.closeSync(fd); }
  }
}
