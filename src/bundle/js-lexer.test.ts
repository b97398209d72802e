import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lexSource } from './js-lexer.ts';

test('strings, comments and regexes are blanked; code and quotes stay', () => {
  const source = `const a = require('x'); // require(y)\n/* import(z) */ const r = /import\\(/g; f("a\\"b");`;
  const lexed = lexSource(source);
  assert.equal(lexed.masked.length, source.length);
  assert.ok(lexed.masked.includes("require(' ')"));
  assert.ok(!lexed.masked.includes('require(y)'));
  assert.ok(!lexed.masked.includes('import(z)'));
  assert.ok(!lexed.masked.includes('import\\('));
  assert.deepEqual(lexed.strings.map((s) => s.value), ['x', 'a"b']);
});

test('templates: text is blanked, substitutions stay code, plain templates are strings', () => {
  const lexed = lexSource('const t = `a ${require(name)} b`; const u = `plain/path.wasm`;');
  assert.ok(lexed.masked.includes('require(name)'));
  assert.deepEqual(lexed.strings.map((s) => s.value), ['plain/path.wasm']);
});

test('a nested template inside a substitution', () => {
  const lexed = lexSource('x = `a${`b${c}d`}e`; y = "s";');
  assert.ok(lexed.masked.includes('c'));
  assert.deepEqual(lexed.strings.map((s) => s.value), ['s']);
});

test('division is not a regex', () => {
  const lexed = lexSource('const half = total / 2; const s = "after";');
  assert.deepEqual(lexed.strings.map((s) => s.value), ['after']);
});

test('lineOf gives 1-based lines; escapes decode', () => {
  const lexed = lexSource('a\nb\n  "x\\u0041\\x42\\n"');
  assert.equal(lexed.lineOf(0), 1);
  assert.equal(lexed.lineOf(2), 2);
  assert.equal(lexed.lineOf(lexed.strings[0]!.start), 3);
  assert.equal(lexed.strings[0]!.value, 'xAB\n');
});

test('unterminated constructs do not throw', () => {
  assert.doesNotThrow(() => lexSource('const s = "abc'));
  assert.doesNotThrow(() => lexSource('const t = `abc ${x'));
  assert.doesNotThrow(() => lexSource('/* open'));
});

test('the mask keeps the source length, even when an escape or a regex runs past the end', () => {
  for (const source of ['const s = "abc\\', 'x = `a\\', 'r = /a\\', 'f(\'é\\u00e9\', "日本");\n// 注釈']) {
    assert.equal(lexSource(source).masked.length, source.length, source);
  }
  assert.equal(lexSource('f(\'é\\u00e9\', "日本");\n// 注釈').masked, 'f(\'       \', "  ");\n     ');
});
