// esbuild gives each bundled CommonJS module a bare `{ exports: {} }` as its `module`: no filename, id,
// parent, paths, children, loaded or require. nodemon reads `module.parent.filename` and fails on every
// command; pstree.remy runs its command-line block when `!module.parent`. Its `__commonJS` helper is
// replaced in the output by one that asks the runtime for a module as Node makes it
// (runtime-stubs/vfs/bootstrap.ts cjsModule), named by the module's key, its path from the app root.
// A minified bundle calls each module by position, without its key: it keeps esbuild's helper.

// As esbuild 0.28 writes it, not minified.
const commonJsHelper = /var ([\w$]+) = \(cb, mod\) => function __require\(\) \{\s*try \{\s*return mod \|\| \(0, cb\[([\w$]+)\(cb\)\[0\]\]\)\(\(mod = \{ exports: \{\} \}\)\.exports, mod\), mod\.exports;\s*\} catch \(e\) \{\s*throw mod = 0, e;\s*\}\s*\};/;

/** The bundle text with modules that have Node's fields; the text itself when it has no such helper. */
export function withNodeModuleObjects(code: string): string {
  // The replacement keeps the helper's line count: the bundle's source map counts lines.
  return code.replace(commonJsHelper, (helper: string, name: string, ownNames: string) => '\n'.repeat(helper.split('\n').length - 1) +
    `var ${name} = (cb, mod) => function __require() { if (mod) return mod.exports; var key = ${ownNames}(cb)[0], runtime = globalThis.__seabuild, parent = runtime && runtime.loading; mod = runtime && runtime.cjsModule ? runtime.cjsModule(key, parent) : { exports: {} }; if (runtime) runtime.loading = mod; try { (0, cb[key])(mod.exports, mod); mod.loaded = true; return mod.exports; } catch (e) { throw mod = 0, e; } finally { if (runtime) runtime.loading = parent; } };`);
}
