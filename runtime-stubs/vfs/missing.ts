// With the tree laid out on disk (the image), the real filesystem answers every call; only the
// errors for what the build did not carry get the same explanation as in the standalone executable.
import type { Tree } from './tree.ts';
import { pathArgument } from './tree.ts';
import { lazyMessage, missingNote, packageNotEmbedded } from './fs-errors.ts';
import { whenLoaded } from './lazy-patches.ts';

const fs = process.getBuiltinModule('node:fs');
const Module = process.getBuiltinModule('node:module') as any;
const path = process.getBuiltinModule('node:path');

type Fn = (...args: any[]) => any;
const calls = ['readFile', 'open', 'stat', 'lstat', 'readdir', 'access', 'realpath'];

/** Adds "is not in the executable; add it with include …" to ENOENT and MODULE_NOT_FOUND errors under the root. */
export function explainMissing(tree: Tree): void {
  // The note is added when the message is first read: a miss the app expects (express.static
  // asking for public/ping before every GET /ping) must cost what ENOENT costs under node (issue 24).
  const explain = (error: any, p: unknown): any => {
    const abs = error?.code === 'ENOENT' ? pathArgument(p) : undefined;
    const rel = abs === undefined ? undefined : tree.relative(abs);
    if (rel === undefined || typeof error.message !== 'string') return error;
    const message: string = error.message;
    lazyMessage(error, () => {
      const note = tree.lookup(rel) ? undefined : missingNote(tree, rel);
      return note ? `${message}: ${note}` : message;
    });
    return error;
  };
  const f = fs as any;
  for (const name of calls) {
    const sync = f[`${name}Sync`] as Fn;
    f[`${name}Sync`] = function (p: unknown, ...rest: any[]) { try { return sync.call(fs, p, ...rest); } catch (error) { throw explain(error, p); } };
    const callback = f[name] as Fn;
    f[name] = function (p: unknown, ...rest: any[]) {
      const cb = rest.pop();
      if (typeof cb !== 'function') return callback.call(fs, p, ...rest, cb);
      return callback.call(fs, p, ...rest, (error: unknown, ...results: unknown[]) => cb(error ? explain(error, p) : error, ...results));
    };
  }
  // fs.promises only once the app loads it (lazy-patches.ts).
  whenLoaded('fs/promises', () => {
    const promises = f.promises as Record<string, Fn>;
    for (const name of calls) {
      const promise = promises[name]!;
      promises[name] = async function (p: unknown, ...rest: any[]) { try { return await promise.call(promises, p, ...rest); } catch (error) { throw explain(error, p); } };
    }
  });
  const resolve = Module._resolveFilename;
  Module._resolveFilename = function (request: string, parent: any, ...rest: any[]) {
    try {
      return resolve.call(this, request, parent, ...rest);
    } catch (error: any) {
      const from = parent?.filename ? tree.relative(path.dirname(parent.filename)) : undefined;
      const note = error?.code === 'MODULE_NOT_FOUND' && from !== undefined && !/^[./]/.test(request) ? packageNotEmbedded(tree, request, from) : undefined;
      if (note) error.message = `${error.message.split('\n')[0]}: ${note}`;
      throw error;
    }
  };
}
