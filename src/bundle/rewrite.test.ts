import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lexSource } from './js-lexer.ts';
import { rewriteModule } from './rewrite.ts';

const rewrite = (source: string, rel = 'node_modules/pkg/lib/index.js'): string | undefined => rewriteModule(lexSource(source), rel);

test('a module that does not depend on its location is left alone', () => {
  assert.equal(rewrite('const x = require("fs"); module.exports = x;'), undefined);
});

test('__dirname and __filename become the tree path, after "use strict" and on the same line', () => {
  const out = rewrite(`'use strict'\nmodule.exports = __dirname + __filename;`)!;
  assert.match(out, /^'use strict';var __dirname = __seabuild\.dir\("node_modules\/pkg\/lib"\), __filename = __seabuild\.dir\("node_modules\/pkg\/lib\/index\.js"\);\nmodule/);
  assert.equal(out.split('\n').length, 2);
});

test('a hashbang stays first', () => {
  const out = rewrite('#!/usr/bin/env node\nconsole.log(__dirname)')!;
  assert.match(out, /^#!\/usr\/bin\/env node\n;var __dirname/);
});

test('a module that declares its own __dirname keeps it; import.meta gets module-level bindings', () => {
  const out = rewrite('const __dirname = dirname(fileURLToPath(import.meta.url)); export const d = __dirname;', 'node_modules/pkg/esm.mjs')!;
  assert.ok(!out.includes('var __dirname'));
  assert.match(out, /__seabuild_import_meta_url = __seabuild\.url\("node_modules\/pkg\/esm\.mjs"\)/);
  assert.match(out, /__seabuild_import_meta_dirname = __seabuild\.dir\("node_modules\/pkg"\)/);
});

test('require.resolve, computed require and computed import go through the tree', () => {
  const out = rewrite('const p = require.resolve("./w.js"); const m = require(name); const e = import(spec); const s = require("fs"); const l = import("./x.js");')!;
  assert.match(out, /__seabuild\.resolve\("node_modules\/pkg\/lib", "\.\/w\.js"\)/);
  assert.match(out, /__seabuild\.requireFrom\("node_modules\/pkg\/lib", name\)/);
  assert.match(out, /__seabuild\.import\("node_modules\/pkg\/lib", spec\)/);
  assert.match(out, /require\("fs"\)/);
  assert.match(out, /import\("\.\/x\.js"\)/);
});

test('text inside strings and method definitions named require are not calls', () => {
  const out = rewrite('const s = "require(x) or import(p)"; class A { require(keys) { return keys; } } module.exports = __dirname;')!;
  assert.ok(out.includes('"require(x) or import(p)"'));
  assert.ok(out.includes('require(keys) {'));
});

test('an import() hidden from bundlers in new Function goes through the tree, relative to its module', () => {
  const out = rewrite('var load = new Function("module", "return import(module)"); load("../internal/cli.mjs");', 'node_modules/prettier/bin/prettier.cjs')!;
  assert.equal(out, 'var load = ((module) => __seabuild.import("node_modules/prettier/bin", module)); load("../internal/cli.mjs");');
});

test("require('bindings') becomes the tree's bindings", () => {
  const out = rewrite("const addon = require('bindings')('better_sqlite3.node');", 'node_modules/better-sqlite3/lib/database.js')!;
  assert.equal(out, `const addon = __seabuild.bindings("node_modules/better-sqlite3/lib")('better_sqlite3.node');`);
});

test('import.meta.resolve becomes the helper, with the module\'s own URL; a feature test of it is left alone', () => {
  const out = rewrite("const font = import.meta.resolve('@fontsource/vt323/files/x.woff2'); const has = typeof import.meta.resolve;", 'node_modules/pkg/esm.mjs')!;
  assert.match(out, /const font = __seabuild_import_meta_resolve\(__seabuild_import_meta_url, '@fontsource\/vt323\/files\/x\.woff2'\);/);
  assert.match(out, /typeof import\.meta\.resolve;/);
  assert.match(out, /__seabuild_import_meta_url = __seabuild\.url\("node_modules\/pkg\/esm\.mjs"\)/);
});
