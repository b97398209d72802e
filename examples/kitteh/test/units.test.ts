// The small pure pieces: configuration, Accept negotiation, Content-Disposition, file names, HTML escaping.
import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { describe, it } from 'node:test';
import { ConfigError, readConfig } from '../src/config.ts';
import { html } from '../src/html.ts';
import { contentDisposition, downloadName, prefersJson } from '../src/respond.ts';
import { formatBytes, safeFileName } from '../src/upload.ts';

const accepting = (accept: string | undefined): IncomingMessage => ({ headers: accept === undefined ? {} : { accept } }) as IncomingMessage;

describe('readConfig', () => {
  it('defaults: embedded database and uploads under ./data, 10 MB, 50 MP', () => {
    assert.deepEqual(readConfig({}, '/srv'), {
      databaseUrl: undefined, dataDir: '/srv/data', uploadDir: '/srv/data/uploads', maxUploadBytes: 10485760, maxInputPixels: 50_000_000, databasePoolSize: 10,
    });
  });
  it('reads every variable; UPLOAD_DIR may live elsewhere', () => {
    const config = readConfig({ DATABASE_URL: 'postgres://a@b/c', DATA_DIR: '/var/lib/kitteh', UPLOAD_DIR: 'pics', MAX_UPLOAD_BYTES: '1000', MAX_INPUT_PIXELS: '2000', DATABASE_POOL_SIZE: '3' }, '/srv');
    assert.deepEqual(config, { databaseUrl: 'postgres://a@b/c', dataDir: '/var/lib/kitteh', uploadDir: '/srv/pics', maxUploadBytes: 1000, maxInputPixels: 2000, databasePoolSize: 3 });
  });
  for (const bad of ['10MB', '-1', '0', '1.5', '1e6', ' ']) {
    it(`refuses MAX_UPLOAD_BYTES="${bad}"`, () => {
      assert.throws(() => readConfig({ MAX_UPLOAD_BYTES: bad }), (e: unknown) => e instanceof ConfigError && e.message.startsWith('MAX_UPLOAD_BYTES'));
    });
  }
});

describe('prefersJson', () => {
  const cases: Array<[string | undefined, boolean]> = [
    [undefined, false],
    ['*/*', false],
    ['application/json', true],
    ['text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8', false],
    ['application/json, text/html;q=0.5', true],
    ['text/html;q=0.5, application/json;q=0.9', true],
    ['application/*', true],
    ['text/*', false],
  ];
  for (const [accept, json] of cases) it(`Accept: ${accept ?? '(none)'} → ${json ? 'JSON' : 'HTML'}`, () => assert.equal(prefersJson(accepting(accept)), json));
});

describe('contentDisposition', () => {
  it('keeps plain names as they are', () => {
    assert.equal(contentDisposition('inline', 'cat.jpg'), 'inline; filename="cat.jpg"; filename*=UTF-8\'\'cat.jpg');
  });
  it('gives an ASCII fallback and RFC 8187 UTF-8 for the rest; quotes and backslashes cannot break out', () => {
    assert.equal(contentDisposition('attachment', 'ねこ "1"\\2%.png'),
      'attachment; filename="__ _1__2_.png"; filename*=UTF-8\'\'%E3%81%AD%E3%81%93%20%221%22%5C2%25.png');
  });
  it('names renditions after the original', () => {
    assert.equal(downloadName('holiday.photo.heic', 'tiny', 'jpg'), 'holiday.photo-tiny.jpg');
    assert.equal(downloadName('holiday.png', 'original', 'jpg'), 'holiday.jpg');
    assert.equal(downloadName('.hidden', 'large', 'png'), '.hidden-large.png');
  });
});

describe('safeFileName', () => {
  const cases: Array<[string | undefined, string]> = [
    ['cat.jpg', 'cat.jpg'],
    ['C:\\Users\\me\\cat.jpg', 'cat.jpg'],
    ['../../etc/passwd', 'passwd'],
    ['bad\r\nname\u0000.jpg', 'badname.jpg'],
    ['..', 'picture'],
    ['', 'picture'],
    [undefined, 'picture'],
    ['x'.repeat(300), 'x'.repeat(200)],
  ];
  for (const [input, output] of cases) it(`${JSON.stringify(input)?.slice(0, 30)} → ${output.slice(0, 20)}`, () => assert.equal(safeFileName(input), output));
});

describe('html and formatBytes', () => {
  it('escapes interpolations, joins arrays, drops empty values', () => {
    const name = '<b onclick="x">\'&';
    assert.equal(html`<p title="${name}">${name}${[html`<i>${1}</i>`, '<']}${undefined}${false}</p>`.value,
      '<p title="&lt;b onclick=&quot;x&quot;&gt;&#39;&amp;">&lt;b onclick=&quot;x&quot;&gt;&#39;&amp;<i>1</i>&lt;</p>');
  });
  it('formats sizes', () => {
    assert.deepEqual([formatBytes(12), formatBytes(2048), formatBytes(10485760)], ['12 bytes', '2 KB', '10 MB']);
  });
});
