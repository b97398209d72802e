import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
const label = require('../../shared/label.js');
export default () => label('esm');
