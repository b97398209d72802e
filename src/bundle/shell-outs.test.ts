import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lexSource } from './js-lexer.ts';
import { findShellOuts } from './shell-outs.ts';

const scan = (source: string, pkg?: string) => findShellOuts(lexSource(source), '/app/src/resize.ts', pkg).map((w) => ({ code: w.code, line: w.line, program: /"([^"]+)"/.exec(w.message)?.[1] }));

test('every child_process call with a literal program, with its line', () => {
  const source = [
    "import { exec, execFile, spawn, spawnSync, execSync } from 'node:child_process';",
    "exec('mogrify -resize 90 x.jpg');",
    "execFile('convert', ['a', 'b']);",
    'spawn("ffmpeg", args);',
    "spawnSync('pkg-config --modversion vips', { shell: true });",
    'execSync(`sh -c "ls"`);',
  ].join('\n');
  assert.deepEqual(scan(source), [
    { code: 'SHELL_OUT', line: 2, program: 'mogrify' },
    { code: 'SHELL_OUT', line: 3, program: 'convert' },
    { code: 'SHELL_OUT', line: 4, program: 'ffmpeg' },
    { code: 'SHELL_OUT', line: 5, program: 'pkg-config' },
    { code: 'SHELL_OUT', line: 6, program: 'sh' },
  ]);
});

test('execa and its template form; computed programs are not flagged', () => {
  const source = ["import { execa, $ } from 'execa';", "await execa('gm', ['convert']);", 'await $`identify ${file}`;', 'await execa(program, []);', 'spawn(process.execPath, []);', 'exec(`${tool} -v`);'].join('\n');
  assert.deepEqual(scan(source), [{ code: 'SHELL_OUT', line: 2, program: 'gm' }, { code: 'SHELL_OUT', line: 3, program: 'identify' }]);
});

test('calls in packages are marked as such; modules without a spawner are not scanned', () => {
  const [warning] = findShellOuts(lexSource("const cp = require('child_process'); cp.spawnSync('getconf', ['GNU_LIBC_VERSION']);"), '/app/node_modules/detect-libc/lib/x.js', 'detect-libc');
  assert.equal(warning?.code, 'SHELL_OUT_IN_PACKAGE');
  assert.match(warning!.message, /^package detect-libc runs "getconf"/);
  assert.deepEqual(scan("run('mogrify x');"), []);
});

test('a command in a comment or a string is not a call', () => {
  assert.deepEqual(scan("require('child_process'); // exec('mogrify')\nconst s = \"spawn('convert')\";"), []);
});
