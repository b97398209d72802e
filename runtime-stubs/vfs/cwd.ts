// The working directory inside the tree. A service in tree mode starts in its app folder, as `npm
// start` and every framework's Dockerfile (WORKDIR) run it: paths relative to the working directory
// name the app's files (react-router-serve serves "build/client"; Next's server.js chdirs to its own
// folder). A folder of the embedded tree may not exist on disk (only ELF files are extracted), so the
// kernel cannot chdir there: the working directory is then kept here, process.cwd() answers it, and
// relative paths resolve against it (path.resolve asks process.cwd()), so the fs patch serves them.

const fs = process.getBuiltinModule('node:fs');
const path = process.getBuiltinModule('node:path');

/** Makes process.chdir accept folders of the tree, and starts in `dir` when given. */
export function treeWorkingDirectory(root: string, dir?: string): void {
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
      // A folder of the tree that is not on disk: kept as the working directory for everything in this process.
      if (!inTree || !fs.statSync(abs, { throwIfNoEntry: false })?.isDirectory()) throw error;
      virtual = abs;
    }
  };
  if (dir !== undefined) process.chdir(dir);
}
