// seabuild trace's recorder, preloaded with `node --require` (through NODE_OPTIONS, so child processes
// and worker threads get it too) into the app under plain Node. It records every file the program
// reads, lists, loads as a module or dlopen()s, one JSON line per event, appended to
// SEABUILD_TRACE_FILE (O_APPEND: lines from several processes never interleave). Plain CommonJS,
// no dependencies: it runs in whatever Node the traced command uses.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const Module = require('node:module');

const out = process.env.SEABUILD_TRACE_FILE;
if (out && !globalThis.__seabuildTraceInstalled) {
  globalThis.__seabuildTraceInstalled = true;
  const { appendFileSync, openSync } = fs;
  const fd = openSync(out, 'a');
  const seen = new Set();
  const record = (kind, target) => {
    let file;
    try {
      file = typeof target === 'string' ? path.resolve(target) : Buffer.isBuffer(target) ? path.resolve(target.toString()) : target instanceof URL && target.protocol === 'file:' ? require('node:url').fileURLToPath(target) : undefined;
    } catch { return; }
    if (!file || seen.has(`${kind} ${file}`)) return;
    seen.add(`${kind} ${file}`);
    appendFileSync(fd, `${JSON.stringify({ kind, file })}\n`);
  };
  const wrap = (object, name, kind) => {
    const original = object[name];
    if (typeof original !== 'function') return;
    object[name] = function (target, ...rest) {
      record(kind, target);
      return original.call(this, target, ...rest);
    };
  };
  for (const name of ['readFileSync', 'readFile', 'openSync', 'open', 'createReadStream']) wrap(fs, name, 'read');
  for (const name of ['readFile', 'open']) wrap(fs.promises, name, 'read');
  for (const name of ['readdirSync', 'readdir', 'opendirSync', 'opendir']) wrap(fs, name, 'list');
  for (const name of ['readdir', 'opendir']) wrap(fs.promises, name, 'list');
  const dlopen = process.dlopen;
  process.dlopen = function (module, filename, ...rest) { record('load', filename); return dlopen.call(this, module, filename, ...rest); };
  for (const ext of Object.keys(Module._extensions)) {
    const load = Module._extensions[ext];
    Module._extensions[ext] = function (module, filename) { record('load', filename); return load.call(this, module, filename); };
  }
  // ES modules load through internal reads; the module hooks (Node 22.15+) see them.
  if (typeof Module.registerHooks === 'function') {
    Module.registerHooks({
      load(url, context, nextLoad) {
        if (url.startsWith('file:')) record('load', new URL(url));
        return nextLoad(url, context);
      },
    });
  }
}
