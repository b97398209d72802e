// The working directory and the tree. A service in tree mode keeps the caller's working directory,
// as `node ENTRY` does: what it writes by a relative path (Node-RED's `--userDir ./data`) lands
// there. The app's files are shown there too (tree.ts mountAt: the tree in front of the disk, so a
// static file served by a path relative to the working directory costs no syscall), because its
// relative paths name them (react-router-serve serves "build/client", as `npm start` runs it from the
// app folder). Laid out on disk (the image), the tree is real files with no fs patch to show them
// elsewhere: the service starts in its app folder, as a Dockerfile's WORKDIR does (run-entry.ts).
// A service may also chdir into the tree (Next's server.js chdirs to its own folder): a folder of the
// embedded tree may not exist on disk (only ELF files are extracted), so it is made, empty, for the
// kernel to enter and for child processes to start there (jest-worker forks with `cwd: process.cwd()`);
// relative paths resolve against it (path.resolve asks process.cwd()) and the fs patch serves them
// from the tree. Where it cannot be made, the working directory is kept here and process.cwd() answers it.

const fs = process.getBuiltinModule('node:fs');
const path = process.getBuiltinModule('node:path');

/** Makes process.chdir accept folders of the tree, and starts in `dir` when given; `makeRealDir` makes a tree folder on disk. */
export function treeWorkingDirectory(root: string, dir?: string, makeRealDir?: (abs: string) => void): void {
  const realChdir = process.chdir.bind(process);
  const realCwd = process.cwd.bind(process);
  let virtual: string | undefined;
  process.cwd = () => virtual ?? realCwd();
  process.chdir = (directory: string) => {
    const abs = path.resolve(directory);
    const inTree = abs === root || abs.startsWith(`${root}/`);
    try {
      realChdir(abs);
      virtual = undefined;
    } catch (error) {
      if (!inTree || !fs.statSync(abs, { throwIfNoEntry: false })?.isDirectory()) throw error;
      try {
        makeRealDir!(abs);
        realChdir(abs);
        virtual = undefined;
      } catch {
        // Not to be made (a read-only cache folder): kept as the working directory of this process only.
        virtual = abs;
      }
    }
  };
  if (dir !== undefined) process.chdir(dir);
}
