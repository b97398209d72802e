// A structure-aware target for `seabuild verify`'s reader: mutating a whole archive mostly breaks
// a blob's digest, so the checks after the digests are rarely reached. Here the input is only the
// JSON documents (index.json, the manifest blob, the config blob and docker's manifest.json,
// separated by NUL bytes), and the archive is packed around them with the digests and sizes made
// to fit: `@config-hex`, `@config-size`, `@manifest-hex`, `@manifest-size`, `@layer0-hex`, … in the
// documents become the real values. The layers are the two of the corpus' hello image.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import tar from 'tar-stream';
import { forEachTarMember } from '../../src/image/tar-read.ts';

const hex = (bytes: Uint8Array | string): string => createHash('sha256').update(bytes).digest('hex');

/** The gzip layers of corpus/image-archive/hello-gzip.tar, in manifest order. */
export async function loadHelloLayers(corpusDir: string): Promise<Buffer[]> {
  const members = new Map<string, Buffer>();
  await forEachTarMember([readFileSync(join(corpusDir, 'hello-gzip.tar'))], async (header, body) => {
    const chunks: Buffer[] = [];
    for await (const chunk of body) chunks.push(chunk);
    members.set(header.name, Buffer.concat(chunks));
  });
  const manifest = JSON.parse(members.get('manifest.json')!.toString())[0] as { Layers: string[] };
  return manifest.Layers.map((path) => members.get(path)!);
}

/** Packs the documents in `input` and `layers` into an image archive. */
export async function packImageDocs(input: Buffer, layers: readonly Buffer[]): Promise<Buffer> {
  const [indexText = '', manifestText = '', configText = '', dockerText = ''] = input.toString('latin1').split('\0');
  const values = new Map<string, string>();
  layers.forEach((layer, i) => values.set(`@layer${i}-hex`, hex(layer)));
  const fill = (text: string): string => text.replace(/@[a-z0-9]+-(hex|size)/g, (token) => values.get(token) ?? token);
  const config = Buffer.from(fill(configText), 'latin1');
  values.set('@config-hex', hex(config)).set('@config-size', String(config.length));
  const manifest = Buffer.from(fill(manifestText), 'latin1');
  values.set('@manifest-hex', hex(manifest)).set('@manifest-size', String(manifest.length));
  const pack = tar.pack();
  const packed = (async () => {
    const chunks: Buffer[] = [];
    for await (const chunk of pack as AsyncIterable<Buffer>) chunks.push(chunk);
    return Buffer.concat(chunks);
  })();
  const add = (name: string, bytes: Buffer): void => { pack.entry({ name, mtime: new Date(0) }, bytes); };
  add('oci-layout', Buffer.from('{"imageLayoutVersion":"1.0.0"}'));
  add('index.json', Buffer.from(fill(indexText), 'latin1'));
  add('manifest.json', Buffer.from(fill(dockerText), 'latin1'));
  for (const blob of [config, manifest, ...layers]) add(`blobs/sha256/${hex(blob)}`, blob);
  pack.finalize();
  return packed;
}
