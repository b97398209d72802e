// `import.meta.resolve(x)` in bundled code. A CommonJS bundle has no import.meta (esbuild leaves it
// empty), and in the ES module of the tree (esm-entry.ts) Node's own would resolve from that one
// file, not from the module that asked. rewrite.ts turns each call into this helper with the module's
// own URL: builtins become `node:` URLs and paths and URLs resolve against the module as Node's do
// (without looking at the disk), and a package specifier is found by the module resolver, which
// knows the tree (`require` conditions: there is no synchronous resolver with `import` ones).
export const importMetaResolveHelper = 'var __seabuild_import_meta_resolve = (base, s) => { s = String(s); var m = require("module"); if (m.isBuiltin(s)) return s.startsWith("node:") ? s : "node:" + s; if (/^(\\.{0,2}\\/|[a-z][a-z\\d+.-]*:)/i.test(s)) return new URL(s, base).href; return require("url").pathToFileURL(m.createRequire(base).resolve(s)).href; };';
