// seabuild's parsers of untrusted bytes, as fuzz targets. Each keeps the build side's contract: it
// returns, or throws a SeabuildError that names the file it read; never another exception, a hang
// or a crash. Corpora (seeds and every finding, kept as regression cases) are in corpus/<name>/.
import assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SeabuildError } from '../../src/errors.ts';
import { readElf, readElfFile } from '../../src/elf/index.ts';
import { readLdSoConfDirs } from '../../src/image/ldconf.ts';
import { validateImageArchive } from '../../src/image/validate.ts';
import { resolveConfig } from '../../src/config.ts';
import { runReportCommand } from '../../src/report/cli.ts';
import { loadHelloLayers, packImageDocs } from './image-docs.ts';
import { isClearSeabuildError, type FuzzTarget } from './target.ts';

const corpus = (name: string): string => join(import.meta.dirname, 'corpus', name);
const ignore = (): void => {};
let helloLayers: Promise<Buffer[]> | undefined;

/** The targets by name (`scripts/fuzz NAME`). */
export const fuzzTargets: Record<string, FuzzTarget> = {
  // The ELF reader, on bytes and on a file (it reads the file in pieces): the two must agree.
  elf: {
    cover: ['/src/elf/read.ts'],
    corpusDir: corpus('elf'),
    maxBytes: 64 * 1024,
    dictionary: ['\x7fELF', '\x02\x01\x01', '\x3e\x00', '\xb7\x00', '$ORIGIN', '/lib64/ld-linux-x86-64.so.2\0'],
    async run(input, workDir) {
      const file = join(workDir, 'fuzz.elf');
      writeFileSync(file, input);
      const fromBytes = settleSync(() => readElf(input, file));
      const fromFile = await readElfFile(file).then((value) => ({ value }), (error: unknown) => ({ error: describe(error) }));
      assert.deepEqual(fromFile, fromBytes, 'readElf and readElfFile disagree');
      if (fromBytes.error) throw fromBytes.error;
    },
    allowed: (error) => isClearSeabuildError((error as SeabuildError).file ?? '')(error) && (error as SeabuildError).code.startsWith('ELF_'),
  },
  // /etc/ld.so.conf and the files it includes: the input is split at NUL bytes into ld.so.conf and
  // ld.so.conf.d/0.conf, 1.conf, … The reader never throws (a missing file names no directory).
  ldconf: {
    cover: ['/src/image/ldconf.ts'],
    corpusDir: corpus('ldconf'),
    maxBytes: 4096,
    dictionary: ['include ', 'include /etc/ld.so.conf.d/*.conf', '/etc/ld.so.conf', '*', '?', '[', ']', '[!', '#', '\n', '\0', 'hwcap ', '=', '/usr/lib', '../', '//'],
    async run(input, workDir) {
      const sysroot = join(workDir, 'sysroot');
      rmSync(sysroot, { recursive: true, force: true });
      mkdirSync(join(sysroot, 'etc/ld.so.conf.d'), { recursive: true });
      input.toString('latin1').split('\0').slice(0, 8).forEach((text, i) => writeFileSync(join(sysroot, i === 0 ? 'etc/ld.so.conf' : `etc/ld.so.conf.d/${i - 1}.conf`), text, 'latin1'));
      const dirs = await readLdSoConfDirs(sysroot);
      for (const dir of dirs) assert.ok(dir.startsWith('/') && !dir.includes('\n'), `not an absolute directory: ${JSON.stringify(dir)}`);
    },
    allowed: () => false,
  },
  // `seabuild verify`'s reader: the tar, index.json, manifest.json, blobs, layer tars and diff_ids.
  'image-archive': {
    cover: ['/src/image/validate.ts', '/src/image/tar-read.ts', '/tar-stream/'],
    corpusDir: corpus('image-archive'),
    maxBytes: 256 * 1024,
    dictionary: ['sha256:', 'blobs/sha256/', 'index.json', 'manifest.json', 'oci-layout', '"imageLayoutVersion":"1.0.0"', 'application/vnd.oci.image.layer.v1.tar+gzip', 'application/vnd.oci.image.manifest.v1+json', '"diff_ids"', 'ustar\x0000', '././@LongLink', 'PaxHeader'],
    async run(input, workDir) {
      const file = join(workDir, 'image.tar');
      writeFileSync(file, input);
      await validateImageArchive(file);
    },
    allowed: (error) => error instanceof SeabuildError && error.code === 'IMAGE_INVALID' && (error.file ?? '').endsWith('image.tar'),
  },
  // The same reader past the digests: the JSON documents mutated, the archive packed to fit them.
  'image-docs': {
    cover: ['/src/image/validate.ts'],
    corpusDir: corpus('image-docs'),
    maxBytes: 16 * 1024,
    dictionary: ['@config-hex', '@config-size', '@manifest-hex', '@manifest-size', '@layer0-hex', '@layer1-hex', 'sha256:', 'blobs/sha256/', '"manifests"', '"layers"', '"config"', '"digest"', '"size"', '"mediaType"', '"annotations"', '"diff_ids"', '"history"', '"empty_layer":true', '"RepoTags"', '"Layers"', '"Config"', 'null', '[]', '{}', '0', '-1', '1e400'],
    async run(input, workDir) {
      const file = join(workDir, 'image.tar');
      writeFileSync(file, await packImageDocs(input, await (helloLayers ??= loadHelloLayers(corpus('image-archive')))));
      await validateImageArchive(file);
    },
    allowed: (error) => error instanceof SeabuildError && error.code === 'IMAGE_INVALID' && (error.file ?? '').endsWith('image.tar'),
  },
  // `seabuild report FILE` and `seabuild report OLD NEW` (the reader, then the table and the diff).
  report: {
    cover: ['/src/report/'],
    corpusDir: corpus('report'),
    maxBytes: 32 * 1024,
    dictionary: ['"schemaVersion":1', '"components":[', '"layers":[', '"totals":{', '"uncompressedBytes":', '"compressedBytes":', '"files":[', 'null', '-1', '1e308', '"__proto__"', '{}', '[]'],
    async run(input, workDir) {
      const file = join(workDir, 'fuzz.report.json');
      writeFileSync(file, input);
      const io = { stdout: ignore, stderr: ignore };
      await runReportCommand([file], io);
      await runReportCommand([join(corpus('report'), 'hello-plus.report.json'), file, '--markdown'], io);
    },
    allowed: (error) => error instanceof SeabuildError && (error.file ?? '').endsWith('fuzz.report.json'),
  },
  // The config loader: seabuild.config.json beside a package.json, through resolveConfig.
  config: {
    cover: ['/src/config.ts', '/src/options.ts'],
    corpusDir: corpus('config'),
    maxBytes: 8 * 1024,
    dictionary: ['"entry"', '"outDir"', '"name"', '"image"', '"assets"', '"migrations"', '"node"', '"cli"', '"port"', '"reference"', '"platforms"', '"push"', 'true', 'false', 'null', '"__proto__"', '"constructor"', '{}', '[]', '"../"'],
    async run(input, workDir) {
      const app = join(workDir, 'app');
      mkdirSync(app, { recursive: true });
      writeFileSync(join(app, 'package.json'), '{"name":"fuzz-app","version":"1.0.0","main":"index.js"}');
      writeFileSync(join(app, 'index.js'), '');
      writeFileSync(join(app, 'seabuild.config.json'), input);
      await resolveConfig({ cwd: app, env: {} });
    },
    allowed: (error) => error instanceof SeabuildError && error.message.length > 0 && error.file !== undefined,
  },
};

function settleSync<T>(work: () => T): { value?: T; error?: unknown } {
  try {
    return { value: work() };
  } catch (error) {
    return { error: describe(error) };
  }
}

// Errors compare by what a user sees of them (code and message); the stack differs per path.
function describe(error: unknown): unknown {
  return error instanceof SeabuildError ? Object.assign(new SeabuildError({ code: error.code, message: error.message, ...(error.file ? { file: error.file } : {}) }), { stack: '' }) : error;
}
