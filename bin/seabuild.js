#!/usr/bin/env node
// The `seabuild` command. Installed from npm it runs the compiled JavaScript (dist/, built at prepack);
// in a checkout, where src/ is present and outside node_modules, Node ≥ 22.18 runs the TypeScript itself.
import { existsSync } from 'node:fs';
import module from 'node:module';

const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 18)) {
  process.stderr.write(`seabuild: error: Node ${process.version} is too old to run seabuild\n  fix: use Node 22.18 or newer (npm i -D node@24 puts Node 24 first on the PATH of npm scripts)\n`);
  process.exit(1);
}

// A reader that leaves early (`seabuild report --json … | head`) is not a failure of the command: it
// finishes with its own exit code instead of dying of the unhandled EPIPE with a stack trace.
process.stdout.on('error', (error) => {
  if (error.code !== 'EPIPE') throw error;
});

// seabuild's own modules are compiled once, not on every run: Node's on-disk compile cache (0.5–0.7 s
// of CPU per build in a checkout, where Node also strips their types). NODE_COMPILE_CACHE names
// another folder; one that cannot be written only leaves the cache off. The builds' outputs do not
// depend on it, and child processes do not inherit it.
module.enableCompileCache?.();

const source = new URL('../src/cli.ts', import.meta.url);
const { main } = await import(existsSync(source) ? source.href : '../dist/src/cli.js');

process.exitCode = await main(process.argv.slice(2));
