// Patches to builtins that only some apps load (fs/promises, worker_threads, child_process) are
// applied when the app first loads the builtin, not at start: loading those three costs a start
// about 12 ms and 3 MB (measured on Node 24), which every `./app version` paid. A builtin reaches
// app code through require() (Module._load), process.getBuiltinModule(), fs.promises, or an ES
// module's import (the resolve hook of esm-hooks.ts calls `applyFor`); each of those applies the
// patch before the module is handed out, so no caller ever sees the unpatched exports.
const Module = process.getBuiltinModule('node:module') as any;

type Patch = () => void;
const pending = new Map<string, Patch[]>();
let watching = false;

/** Runs `patch` when the builtin `name` (`worker_threads`, `fs/promises`) is first loaded by anyone. */
export function whenLoaded(name: string, patch: Patch): void {
  pending.set(name, [...(pending.get(name) ?? []), patch]);
  if (!watching) watch();
}

/** Applies the patches waiting for `specifier` (a builtin's name, with or without `node:`). */
export function applyFor(specifier: string): void {
  if (pending.size === 0) return;
  const name = specifier.startsWith('node:') ? specifier.slice(5) : specifier;
  const patches = pending.get(name);
  if (!patches) return;
  // Deleted first: a patch loads its builtin itself, which comes back through the watchers.
  pending.delete(name);
  for (const patch of patches) patch();
}

/** Applies every waiting patch now: where a load could pass no watcher (no ESM resolve hook). */
export function applyAll(): void {
  for (const name of [...pending.keys()]) applyFor(name);
}

function watch(): void {
  watching = true;
  const load = Module._load;
  Module._load = function (request: unknown, ...rest: unknown[]) {
    if (typeof request === 'string') applyFor(request);
    return load.call(this, request, ...rest);
  };
  const getBuiltinModule = process.getBuiltinModule;
  process.getBuiltinModule = function (id: string) {
    if (typeof id === 'string') applyFor(id);
    return getBuiltinModule.call(process, id);
  } as typeof process.getBuiltinModule;
  // fs.promises is a lazy getter of node:fs (the same object as node:fs/promises).
  const fs = getBuiltinModule.call(process, 'node:fs') as typeof import('node:fs');
  const descriptor = Object.getOwnPropertyDescriptor(fs, 'promises');
  if (descriptor?.get && descriptor.configurable) {
    Object.defineProperty(fs, 'promises', {
      ...descriptor,
      get() { applyFor('fs/promises'); return descriptor.get!.call(this); },
    });
  }
}
