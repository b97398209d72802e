// withCheapNames: esbuild's keepNames output (readable and minified) still gives every function and
// class its source name, and a closure made on each call no longer has its name redefined.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildSync } from 'esbuild';
import { withCheapNames } from './keep-names.ts';

// `var X = class _X` is what esbuild renames without keepNames (src/bundle/index.ts says why it is on).
const source = `
function handle(i) { function next(x) { return x + i; } return next; }
const NotFound = class NotFound extends Error {};
class Router { static kind = 'router'; }
module.exports = { handle, NotFound, Router, anonymous: (() => () => 1)() };
`;

function bundleAndRun(minify: boolean): { names: string[]; nameDefinitions: number } {
  const { outputFiles } = buildSync({ stdin: { contents: source, loader: 'js' }, bundle: true, platform: 'node', format: 'cjs', keepNames: true, minify, target: 'node22', write: false });
  const code = withCheapNames(outputFiles[0]!.text);
  // The bundle reads Object.defineProperty once, at its top: hand it one that counts name definitions.
  let nameDefinitions = 0;
  const counting = { ...Object, defineProperty: (target: object, key: PropertyKey, descriptor: PropertyDescriptor) => { if (key === 'name') nameDefinitions++; return Object.defineProperty(target, key, descriptor); } };
  const module = { exports: {} as any };
  new Function('Object', 'module', 'exports', 'require', code)(counting, module, module.exports, () => { throw new Error('no require'); });
  nameDefinitions = 0;
  const { handle, NotFound, Router } = module.exports;
  const names = [handle.name, handle(1).name, handle(2).name, NotFound.name, new NotFound().constructor.name, Router.name];
  return { names, nameDefinitions };
}

test('keepNames: every name kept, none redefined when a closure is made', () => {
  const { names, nameDefinitions } = bundleAndRun(false);
  assert.deepEqual(names, ['handle', 'next', 'next', 'NotFound', 'NotFound', 'Router']);
  assert.equal(nameDefinitions, 0);
});

test('keepNames with minify: every name kept (minified closures still need theirs defined)', () => {
  const { names, nameDefinitions } = bundleAndRun(true);
  assert.deepEqual(names, ['handle', 'next', 'next', 'NotFound', 'NotFound', 'Router']);
  assert.equal(nameDefinitions, 2);
});

test('without the rewrite, the readable helper is the one esbuild writes (a new esbuild must not slip past)', () => {
  const { outputFiles } = buildSync({ stdin: { contents: source, loader: 'js' }, bundle: true, platform: 'node', format: 'cjs', keepNames: true, target: 'node22', write: false });
  assert.notEqual(withCheapNames(outputFiles[0]!.text), outputFiles[0]!.text);
  const minifiedOut = buildSync({ stdin: { contents: source, loader: 'js' }, bundle: true, platform: 'node', format: 'cjs', keepNames: true, minify: true, target: 'node22', write: false }).outputFiles[0]!.text;
  assert.notEqual(withCheapNames(minifiedOut), minifiedOut);
});
