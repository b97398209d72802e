#!/usr/bin/env node
// seabuild runs its TypeScript sources directly on Node ≥ 22.18 (`npx seabuild` puts a node@24
// devDependency first on PATH); register.js makes that work when installed under node_modules.
await import('./register.js');
const { main } = await import('../src/cli.ts');

process.exitCode = await main(process.argv.slice(2));
