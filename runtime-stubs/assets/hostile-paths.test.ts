// The asset server against hostile request paths, over a real socket (no client normalises the
// path on the way): traversal plain, encoded and double-encoded, NUL bytes, backslashes, invalid
// UTF-8, very long paths. Each is answered with an asset's own bytes or passed on to the app (404
// here); no byte of a file outside the asset folder comes back, and only asset keys are read.
// Also: a symbolic link in the asset folder is served only when it points inside it.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { collectAssets } from '../../src/embed/assets.ts';
import { SeabuildError } from '../../src/errors.ts';
import { createAssetStore } from './serve.ts';
import { AssetLinkError, scanAssetDir } from './scan.ts';

const SECRET = 'secret-of-the-build-machine';

function rawGet(port: number, target: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', reject);
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('latin1');
      resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0), body: text.slice(text.indexOf('\r\n\r\n') + 4) });
    });
    socket.end(Buffer.concat([Buffer.from('GET '), Buffer.from(target, 'latin1'), Buffer.from(' HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n')]));
  });
}

describe('the asset server against hostile paths', () => {
  let root: string;
  let server: Server;
  let port: number;
  const keysRead: string[] = [];
  let assetBodies: string[];

  before(async () => {
    root = mkdtempSync(join(tmpdir(), 'seabuild-assets-hostile-'));
    const publicDir = join(root, 'app/public');
    mkdirSync(join(publicDir, 'css'), { recursive: true });
    writeFileSync(join(publicDir, 'css/app.css'), 'body{color:red}');
    writeFileSync(join(publicDir, 'index.txt'), 'hello');
    writeFileSync(join(root, 'app/secret.txt'), SECRET);
    writeFileSync(join(root, 'secret.txt'), SECRET);
    symlinkSync('css/app.css', join(publicDir, 'alias.css'));
    const records = scanAssetDir(publicDir, '/assets/');
    assetBodies = records.map((r) => readFileSync(r.key, 'latin1'));
    const store = createAssetStore(records, '/assets/', (key) => { keysRead.push(key); return readFileSync(key); });
    server = createServer((req, res) => { if (!store.handle(req, res)) res.writeHead(404).end('app 404'); });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    port = (server.address() as { port: number }).port;
  });
  after(() => {
    server?.close();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it('serves the assets themselves, a link inside the folder as its target', async () => {
    assert.deepEqual(await rawGet(port, '/assets/css/app.css'), { status: 200, body: 'body{color:red}' });
    assert.deepEqual(await rawGet(port, '/assets/alias.css'), { status: 200, body: 'body{color:red}' });
  });

  it('never answers a hostile path with a byte from outside the asset folder', async () => {
    const hostile = [
      '/assets/../secret.txt', '/assets/../../secret.txt', '/assets/css/../../secret.txt', '/assets/..%2fsecret.txt', '/assets/%2e%2e/secret.txt',
      '/assets/%2e%2e%2f%2e%2e%2fsecret.txt', '/assets/%252e%252e%252fsecret.txt', '/assets/%c0%ae%c0%ae/secret.txt', '/assets/..\\secret.txt',
      '/assets/..%5csecret.txt', '/assets/css/app.css%00.png', '/assets/css/app.css\0', '/assets/%00', '/assets/index.txt%00../../secret.txt',
      '/assets/%ff%fe%fd', '/assets/\xff\xfe', '/assets//etc/passwd', '/assets/%2fetc%2fpasswd', '/assets/./css/app.css', '/assets/css//app.css',
      `/assets/${'a/'.repeat(3000)}`, `/assets/${'..%2f'.repeat(2000)}secret.txt`, '/assets/css/app.css?/../../secret.txt', '/assets', '/assets/',
      '//assets/css/app.css', '/%61ssets/css/app.css', 'http://x/assets/../secret.txt', '*',
    ];
    for (const path of hostile) {
      const answer = await rawGet(port, path);
      assert.ok(!answer.body.includes(SECRET), `${JSON.stringify(path)} answered the secret`);
      assert.ok(answer.status >= 400 || assetBodies.includes(answer.body), `${JSON.stringify(path)}: ${answer.status} ${answer.body.slice(0, 80)}`);
    }
    const keys = new Set(scanAssetDir(join(root, 'app/public'), '/assets/').map((r) => r.key));
    assert.deepEqual(keysRead.filter((key) => !keys.has(key)), []);
  });

  it('refuses a link in the asset folder that points outside it: at scan (dev) and at build, naming the link', async () => {
    const publicDir = join(root, 'app/public');
    const link = join(publicDir, 'leak.txt');
    symlinkSync('../secret.txt', link);
    try {
      assert.throws(() => scanAssetDir(publicDir, '/assets/'), (error: AssetLinkError) => error.code === 'ASSET_LINK_OUTSIDE' && error.path === link);
      await assert.rejects(collectAssets(publicDir, '/assets/', join(root, 'work')), (error: SeabuildError) => error instanceof SeabuildError && error.code === 'ASSET_LINK_OUTSIDE' && error.file === link);
    } finally {
      rmSync(link);
    }
  });
});
