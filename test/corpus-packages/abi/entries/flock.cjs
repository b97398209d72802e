// fs-ext (a NAN addon, compiled by node-gyp under the machine's Node 20): flock() and seek() on a file.
const fsExt = require('fs-ext');
const { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');

const dir = mkdtempSync(join(tmpdir(), 'corpus-flock-'));
try {
  const fd = openSync(join(dir, 'data'), 'w+');
  writeSync(fd, 'hello, addon');
  fsExt.flockSync(fd, 'exnb');
  console.log('flock exnb ok');
  const at = fsExt.seekSync(fd, 7, 0);
  const buffer = Buffer.alloc(5);
  readSync(fd, buffer, 0, 5, null);
  console.log(`seek ${at} read ${buffer.toString()}`);
  fsExt.flockSync(fd, 'un');
  closeSync(fd);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
