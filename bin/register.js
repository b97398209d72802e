// `node --import seabuild/register`: lets Node load seabuild's own TypeScript sources from
// node_modules, where Node refuses to strip types itself (ERR_UNSUPPORTED_NODE_MODULES_TYPE_STRIPPING).
// The CLI loads it first; an app running from source (`node --import seabuild/register src/main.ts`)
// needs it for `seabuild/runtime` when seabuild is installed from the registry rather than linked.
import * as nodeModule from 'node:module';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const packageRoot = new URL('..', import.meta.url).href;
// A namespace import: on an older Node a named import of a missing export fails before any message.
const { registerHooks, stripTypeScriptTypes } = nodeModule;

if (typeof registerHooks !== 'function' || typeof stripTypeScriptTypes !== 'function') {
  process.stderr.write(`seabuild: error: Node ${process.version} is too old to run seabuild\n  fix: use Node 22.18 or newer (npm i -D node@24 puts Node 24 first on the PATH of npm scripts)\n`);
  process.exit(1);
}

// Only under node_modules: elsewhere (a checkout, a file: link) Node strips the types itself.
if (packageRoot.includes('/node_modules/')) {
  // The one ExperimentalWarning stripTypeScriptTypes emits would print on every seabuild command.
  const emitWarning = process.emitWarning;
  process.emitWarning = (warning, ...rest) => (String(warning).includes('stripTypeScriptTypes') ? undefined : emitWarning.call(process, warning, ...rest));
  registerHooks({
    load(url, context, nextLoad) {
      if (!url.startsWith(packageRoot) || !url.endsWith('.ts') || url.slice(packageRoot.length).includes('node_modules/')) return nextLoad(url, context);
      const source = stripTypeScriptTypes(readFileSync(fileURLToPath(url), 'utf8'));
      return { format: 'module', source, shortCircuit: true };
    },
  });
}
