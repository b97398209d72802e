// The import graph of src/ (issue 14): no cycles, and the orchestrator (src/build.ts) is imported only
// by the entrances (src/index.ts, src/cli.ts). TypeScript's own pre-processor lists each file's
// imports (static, type-only, export-from and literal import()) without type-checking anything.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

const root = resolve(import.meta.dirname, '..');
const srcDir = join(root, 'src');

async function sourceFiles(dir: string): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...await sourceFiles(path));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) found.push(path);
  }
  return found.sort();
}

/** Each file of src/ (relative to the repository) → the files of src/ it imports. */
async function importGraph(): Promise<Map<string, string[]>> {
  const graph = new Map<string, string[]>();
  for (const file of await sourceFiles(srcDir)) {
    const { importedFiles } = ts.preProcessFile(await readFile(file, 'utf8'), true, true);
    const targets = importedFiles
      .map((imported) => imported.fileName)
      .filter((specifier) => specifier.startsWith('.'))
      .map((specifier) => resolve(dirname(file), specifier))
      .filter((target) => target.startsWith(srcDir + '/'))
      .map((target) => relative(root, target));
    graph.set(relative(root, file), [...new Set(targets)].sort());
  }
  return graph;
}

/** Every cycle's files, one per strongly connected component of more than one file (or a file importing itself); Tarjan's algorithm. */
function cycles(graph: Map<string, string[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (node: string): void => {
    index.set(node, index.size);
    low.set(node, index.get(node)!);
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!index.has(next)) { visit(next); low.set(node, Math.min(low.get(node)!, low.get(next)!)); }
      else if (onStack.has(next)) low.set(node, Math.min(low.get(node)!, index.get(next)!));
    }
    if (low.get(node) !== index.get(node)) return;
    const component: string[] = [];
    let member: string;
    do { member = stack.pop()!; onStack.delete(member); component.push(member); } while (member !== node);
    if (component.length > 1 || graph.get(node)?.includes(node)) found.push(component.sort());
  };
  for (const node of graph.keys()) if (!index.has(node)) visit(node);
  return found;
}

test('the import graph of src/ has no cycles', async () => {
  const graph = await importGraph();
  assert.ok(graph.size > 50, `read ${graph.size} files of src/`);
  assert.deepEqual(cycles(graph), []);
});

test('only src/index.ts and src/cli.ts import the orchestrator src/build.ts', async () => {
  const importers = [...(await importGraph())].filter(([, targets]) => targets.includes('src/build.ts')).map(([file]) => file);
  assert.deepEqual(importers.filter((file) => file !== 'src/index.ts' && file !== 'src/cli.ts'), []);
});

test('the cycle finder sees a cycle and a self-import', () => {
  assert.deepEqual(cycles(new Map([['a', ['b']], ['b', ['c']], ['c', ['a']], ['d', ['d']], ['e', ['a']]])), [['a', 'b', 'c'], ['d']]);
});
