// seabuild's own folder, the one holding its package.json: the checkout's root when src/ runs as
// TypeScript, the installed package's root when it runs compiled from dist/src/ (scripts/package.ts).
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** seabuild's package folder: the runtime-stubs bundled into every executable live under it. */
export const SEABUILD_ROOT = resolve(import.meta.dirname, import.meta.filename.endsWith('.ts') ? '..' : '../..');

/** seabuild's own version, from its package.json. */
export const SEABUILD_VERSION: string = JSON.parse(readFileSync(join(SEABUILD_ROOT, 'package.json'), 'utf8')).version;
