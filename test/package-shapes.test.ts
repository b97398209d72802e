// Shapes of published packages that real programs have, each found in one (named below), reduced to
// a few lines and written into a temp app's node_modules: the executable must do what `node` does.
// Unit cases only; the programs themselves are in test/corpus.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { execa } from 'execa';
import { node24, seabuildBin } from './helpers/fixture.ts';
import { runSeabuild } from './helpers/cli.ts';

const files: Record<string, string> = {
  'package.json': JSON.stringify({ name: 'shapes', version: '1.0.0', bin: 'cli.js', dependencies: { shaped: '1.0.0' } }),
  'cli.js': [
    '#!/usr/bin/env node',
    "const shaped = require('shaped');",
    'const [name, arg] = process.argv.slice(2);',
    // The app's own deprecated call: node warns, so must the executable.
    "if (name === 'own') console.log(require('url').parse('http://x/y').pathname);",
    'else Promise.resolve(shaped[name](arg)).then(console.log);',
  ].join('\n'),
  'node_modules/shaped/package.json': JSON.stringify({ name: 'shaped', version: '1.0.0', main: 'index.js' }),
  'node_modules/shaped/index.js': [
    "const fs = require('fs');",
    "const path = require('path');",
    // browser-sync: require(`./cli/command.${name}`), Node adds the extension; its .js.map files lie beside.
    "exports.command = (name) => require(`./cli/command.${name}`);",
    "exports.concat = (name) => require('./cli/command.' + name);",
    "exports.optional = (name) => { try { return require('./cli/command.' + name); } catch (e) { return e.code + ': ' + e.message.split('\\n')[0]; } };",
    // uglify-js: require("../test/reduce") behind a flag, a file it does not publish.
    "exports.unpublished = (flag) => flag === 'on' ? require('./test/reduce') : 'not asked';",
    // browser-sync: templates/cli-template.js is named by path and read as text; it is not JavaScript.
    "exports.template = () => fs.readFileSync(path.join(__dirname, 'templates/cli-template.js'), 'utf8');",
    // browser-sync-ui: fileContent('x.client.js') joins __dirname with a script it serves as text.
    "const fileContent = (file) => fs.readFileSync(path.join(__dirname, file), 'utf8');",
    "exports.clientScript = () => fileContent('plugin.client.js');",
    // socket.io: path.join(__dirname, '../client-dist/', filename), scripts and their maps.
    "exports.served = (file) => fs.readFileSync(path.join(__dirname, 'client-dist/', file), 'utf8');",
    // A name from another module: no build can know it; `seabuild trace` finds it.
    "exports.hidden = () => fs.readFileSync(path.join(__dirname, require('./names').script), 'utf8');",
    "exports.serve = () => { setInterval(() => {}, 1000); return exports.hidden(); };",
    // eslint: await import(pathToFileURL(formatterPath)), a URL object, not a string.
    "exports.formatter = async () => (await import(require('url').pathToFileURL(path.join(__dirname, 'formatters', 'plain.js')))).default('text');",
    // NestJS: new Logger(InstanceLoader.name); an error class that names itself.
    "class NotFoundError extends Error { constructor(m) { super(m); this.name = NotFoundError.name; } static of(m) { return new NotFoundError(m); } }",
    "exports.className = () => NotFoundError.of('x').name + ' ' + NotFoundError.name;",
    // nodemon: findPackage(path.dirname(module.parent.filename)); pstree.remy: if (!module.parent) run as a program.
    "const inTree = (file) => file.slice(file.lastIndexOf('node_modules'));",
    "exports.moduleFields = () => JSON.stringify({ parent: inTree(module.parent.filename), filename: inTree(module.filename), id: module.id === module.filename, loaded: module.loaded, children: module.children.map((c) => inTree(c.filename)), paths: inTree(module.paths[0]), require: typeof module.require, lazy: require('./lazy').hasParent });",
    // i18next-fs-backend: "exports" lists Webpack's "module" before "require"; Node knows only the latter.
    "exports.conditions = () => typeof require('dual') + ' ' + require('dual').kind;",
    // Old packages: Node leaves out DEP0005 and DEP0169 for calls from node_modules.
    "exports.deprecated = () => new Buffer(2).length + require('url').parse('http://a/b?c=1').pathname;",
  ].join('\n'),
  'node_modules/shaped/formatters/plain.js': "module.exports = (text) => 'formatted ' + text;\n",
  'node_modules/dual/package.json': JSON.stringify({ name: 'dual', version: '1.0.0', exports: { '.': { module: './esm/index.js', require: './cjs/index.js', default: './cjs/index.js' } } }),
  'node_modules/dual/esm/index.js': "export default function Backend() {}\nexport const kind = 'esm';\n",
  'node_modules/dual/cjs/index.js': "function Backend() {}\nBackend.kind = 'cjs';\nmodule.exports = Backend;\n",
  'node_modules/shaped/lazy.js': "exports.hasParent = Boolean(module.parent) && module.loaded === false;\n",
  'node_modules/shaped/names.js': "exports.script = 'hidden.client.js';\n",
  'node_modules/shaped/hidden.client.js': "window.hidden = true;\n",
  'node_modules/shaped/cli/command.start.js': "module.exports = 'started by ' + require('../helper');\n",
  'node_modules/shaped/cli/command.start.js.map': '{"version":3,"sources":["command.start.ts"],"mappings":""}\n',
  'node_modules/shaped/helper.js': "module.exports = 'the helper';\n",
  'node_modules/shaped/templates/cli-template.js': 'module.exports = //OPTS;',
  'node_modules/shaped/plugin.client.js': "window.plugin = 'client side';\n",
  'node_modules/shaped/client-dist/client.js': "var io = 'the client';\n//# sourceMappingURL=client.js.map\n",
  'node_modules/shaped/client-dist/client.js.map': '{"version":3,"file":"client.js"}\n',
};

const cases: string[][] = [
  ['command', 'start'], ['command', 'start.js'], ['concat', 'start'], ['optional', 'nope'],
  ['unpublished', 'off'], ['unpublished', 'on'],
  ['template'], ['clientScript'], ['served', 'client.js'], ['served', 'client.js.map'],
  ['formatter'], ['className'], ['deprecated'], ['own'], ['conditions'], ['moduleFields'],
];

let dir: string;
let exe: string;
let buildOutput: string;
before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'seabuild-shapes-'));
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    writeFileSync(join(dir, file), text);
  }
  const result = await runSeabuild(['build', '--no-image'], { cwd: dir });
  assert.equal(result.exitCode, 0, result.all);
  buildOutput = result.all;
  exe = join(dir, 'dist/shapes');
});
after(() => rmSync(dir, { recursive: true, force: true }));

test('each shape answers in the executable as under node', async () => {
  for (const args of cases) {
    const expected = await execa(node24, ['cli.js', ...args], { cwd: dir, reject: false });
    const actual = await execa(exe, args, { cwd: dir, reject: false });
    assert.equal(actual.stdout, expected.stdout, `stdout of ${args.join(' ')}`);
    assert.equal(actual.exitCode, expected.exitCode, `exit code of ${args.join(' ')}`);
    // An uncaught error's source excerpt and stack name other files in the executable: its message is compared.
    // Node's hint names the program: node, or the executable.
    const hint = (text: string) => text.replace(/\(Use `\S+ --trace-deprecation/g, '(Use `PROGRAM --trace-deprecation').replace(/\(node:\d+\)/g, '(node:PID)');
    if (expected.exitCode === 0) assert.equal(hint(actual.stderr), hint(expected.stderr), `stderr of ${args.join(' ')}`);
    else for (const { stderr } of [expected, actual]) assert.match(stderr, /^Error: Cannot find module '\.\/test\/reduce'/m, `stderr of ${args.join(' ')}`);
  }
});

test('the build says which file its package does not publish, and that it fails when loaded', () => {
  assert.match(buildOutput, /not in its package: \.\/test\/reduce \(required by node_modules\/shaped\/index\.js\); it fails when loaded, as under node/);
});

test('seabuild trace of a service stopped with Ctrl-C: the scripts it read as text, not those it loaded', async () => {
  // Ctrl-C signals the terminal's whole foreground group: trace and the command it runs.
  const traced = execa(node24, [seabuildBin, 'trace', '--dry-run', '--', node24, 'cli.js', 'serve'], { cwd: dir, reject: false, detached: true, all: true });
  let seen = '';
  const running = await new Promise<boolean>((resolve) => {
    traced.all!.on('data', (chunk: Buffer) => { seen += chunk; if (seen.includes('window.hidden')) resolve(true); });
    void traced.then(() => resolve(false));
  });
  assert.ok(running, seen);
  process.kill(-traced.pid!, 'SIGINT');
  const result = await traced;
  assert.equal(result.exitCode, 0, result.all);
  assert.match(result.all, /trace: the command was stopped \(SIGINT\)/);
  assert.match(result.all, /^ {2}shaped: hidden\.client\.js$/m);
  assert.doesNotMatch(result.all, /names\.js|index\.js/);
});

test('a program from npm loads a plugin it declares by a computed name (verdaccio-audit): it is carried whole', async () => {
  const program = mkdtempSync(join(tmpdir(), 'seabuild-shapes-program-'));
  try {
    const programFiles: Record<string, string> = {
      'package.json': JSON.stringify({ name: 'uses-prog', version: '1.0.0', dependencies: { prog: '1.0.0' } }),
      'node_modules/prog/package.json': JSON.stringify({ name: 'prog', version: '1.0.0', bin: 'bin.js', dependencies: { 'prog-plugin-audit': '1.0.0' } }),
      'node_modules/prog/bin.js': "const load = (id) => require(`prog-plugin-${id}`);\nconsole.log(load(process.argv[2]).answer());\n",
      'node_modules/prog-plugin-audit/package.json': JSON.stringify({ name: 'prog-plugin-audit', version: '1.0.0', main: 'lib/index.js' }),
      'node_modules/prog-plugin-audit/lib/index.js': "exports.answer = () => 'audited by ' + require('./name');\n",
      'node_modules/prog-plugin-audit/lib/name.js': "module.exports = 'the plugin';\n",
    };
    for (const [file, text] of Object.entries(programFiles)) {
      mkdirSync(dirname(join(program, file)), { recursive: true });
      writeFileSync(join(program, file), text);
    }
    const built = await runSeabuild(['build', '--no-image', '--cli', '--entry', 'node_modules/prog/bin.js'], { cwd: program });
    assert.equal(built.exitCode, 0, built.all);
    assert.match(built.all, /embeds prog-plugin-audit: 3 files, .* dependency of the program node_modules\/prog that no bundled module imports/);
    const expected = await execa(node24, ['node_modules/prog/bin.js', 'audit'], { cwd: program });
    const actual = await execa(join(program, 'dist/uses-prog'), ['audit'], { cwd: program, reject: false });
    assert.deepEqual({ stdout: actual.stdout, stderr: actual.stderr }, { stdout: expected.stdout, stderr: expected.stderr });
    // Its package.json names no entry: trace takes --entry as build does.
    const traced = await runSeabuild(['trace', '--dry-run', '--entry', 'node_modules/prog/bin.js', '--', node24, 'node_modules/prog/bin.js', 'audit'], { cwd: program });
    assert.equal(traced.exitCode, 0, traced.all);
    assert.match(traced.all, /trace: the build already carries every package file the command opened/);
  } finally {
    rmSync(program, { recursive: true, force: true });
  }
});

test('an app with top-level await (bundled as an ES module of the tree) builds to the same bytes twice', async () => {
  const app = mkdtempSync(join(tmpdir(), 'seabuild-shapes-tla-'));
  try {
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'tla', version: '1.0.0', main: 'main.mjs' }));
    writeFileSync(join(app, 'main.mjs'), "const answer = await Promise.resolve(42);\nconsole.log('answer', answer);\n");
    const digests: string[] = [];
    for (const outDir of ['dist-a', 'dist-b']) {
      const built = await runSeabuild(['build', '--no-image', '--cli', '--out-dir', outDir], { cwd: app });
      assert.equal(built.exitCode, 0, built.all);
      digests.push(createHash('sha256').update(readFileSync(join(app, outDir, 'tla'))).digest('hex'));
    }
    assert.equal(digests[0], digests[1], 'a work folder\'s name reached the bundle');
    assert.equal((await execa(join(app, 'dist-a/tla'), [])).stdout, 'answer 42');
  } finally {
    rmSync(app, { recursive: true, force: true });
  }
});
