// What `npm run NAME` gives a script besides its arguments, given to the app's own commands
// (`./app migrate`, see runtime-stubs/launch.ts): the package folder as the working directory, so the
// paths the script names (`-d dist/data-source.js`, a knexfile, `./drizzle`) resolve as they did
// where it was written, and INIT_CWD naming where the command was started, as npm sets it.
// Inside the executable the package folder is the tree's root, read-only (writes there fail with EROFS).

/** Makes the tree's root the working directory of this process. */
export function enterPackageFolder(): void {
  const root: string = (globalThis as any).__seabuild.root;
  process.env.INIT_CWD ??= process.cwd();
  try {
    process.chdir(root);
    return;
  } catch {
    // The embedded tree is served from memory: its root is on disk only when it holds extracted
    // native files. path.resolve() and the tree's fs read process.cwd(), so relative paths still
    // resolve in the package folder; a chdir() of the command's own takes over again.
  }
  const chdir = process.chdir;
  const cwd = process.cwd;
  process.cwd = () => root;
  process.chdir = (directory: string) => {
    chdir(process.getBuiltinModule('node:path').resolve(root, directory));
    process.cwd = cwd;
    process.chdir = chdir;
  };
}
