// The working directory inside the tree. A service in tree mode starts in its app folder, as `npm
// start` and every framework's Dockerfile (WORKDIR) run it: paths relative to the working directory
// name the app's files (react-router-serve serves "build/client"; Next's server.js chdirs to its own
// folder). A folder of the embedded tree may not exist on disk (only ELF files are extracted): it is
// made, empty, so that the kernel can enter it and child processes start there (jest-worker forks with
// `cwd: process.cwd()`); relative paths resolve against it (path.resolve asks process.cwd()) and the
// fs patch serves them from the tree. Where it cannot be made, the working directory is kept here
// and process.cwd() answers it.

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
