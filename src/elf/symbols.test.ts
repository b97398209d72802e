import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { execFileSync } from 'node:child_process';
import { SeabuildError } from '../errors.ts';
import { addonAbi, readDefinedDynamicSymbols } from './symbols.ts';

/** Compiles a shared object from C source with the machine's cc (what node-gyp uses too). */
function sharedObject(dir: string, name: string, source: string): string {
  writeFileSync(join(dir, `${name}.c`), source);
  execFileSync('cc', ['-shared', '-fPIC', '-o', join(dir, `${name}.node`), join(dir, `${name}.c`)]);
  return join(dir, `${name}.node`);
}

test('the ABI of an addon comes from the symbols it defines, not from those it imports', () => {
  const dir = mkdtempSync(join(tmpdir(), 'seabuild-elf-symbols-'));
  try {
    const v8 = sharedObject(dir, 'v8', 'void node_register_module_v115(void) {}\nint helper(void) { return 1; }\n');
    const napi = sharedObject(dir, 'napi', 'void* napi_register_module_v1(void* env, void* exports) { return exports; }\n');
    // Calls node_register_module_v137 without defining it: an import, so no ABI.
    const importer = sharedObject(dir, 'importer', 'extern void node_register_module_v137(void);\nvoid run(void) { node_register_module_v137(); }\n');
    assert.ok(readDefinedDynamicSymbols(v8).includes('helper'));
    assert.equal(addonAbi(v8), 115);
    assert.equal(addonAbi(napi), 'napi');
    assert.equal(addonAbi(importer), undefined);
    assert.deepEqual(readDefinedDynamicSymbols(resolve(import.meta.dirname, '../../test/fixtures/elf/lib/libgreet.so.1.0.0')), ['greet']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a file that is not a 64-bit ELF object is ELF_CORRUPT, naming it', () => {
  const file = resolve(import.meta.dirname, '../../test/fixtures/elf/not-elf.txt');
  assert.throws(() => readDefinedDynamicSymbols(file), (error: SeabuildError) => error.code === 'ELF_CORRUPT' && error.file === file);
});
