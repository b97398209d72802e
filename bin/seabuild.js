#!/usr/bin/env node
// seabuild runs on Node 24 (type stripping); `npx seabuild` puts the node@24 devDependency first on PATH.
import { main } from '../src/cli.ts';

process.exitCode = await main(process.argv.slice(2));
