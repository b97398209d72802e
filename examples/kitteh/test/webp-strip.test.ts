// webp-strip.ts on real WebPs (the shared fixtures, and ones sharp writes with a phone's metadata),
// and on broken bytes.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import sharp from 'sharp';
import { stripWebpMetadata } from '../src/webp-strip.ts';
import { readFixture } from './helpers/fixtures.ts';
import { hasGpsPointer, isMetadataFree, withLocationData } from './helpers/pixels.ts';

// The FourCCs of a WebP's top-level chunks, in order.
function chunkNames(webp: Buffer): string[] {
  const names: string[] = [];
  for (let pos = 12; pos + 8 <= webp.length; pos += 8 + webp.readUInt32LE(pos + 4) + (webp.readUInt32LE(pos + 4) % 2)) {
    names.push(webp.toString('latin1', pos, pos + 4));
  }
  return names;
}

// A still WebP with an alpha channel, an ICC profile, EXIF (GPS, camera serial) and XMP.
async function phoneWebp(): Promise<Buffer> {
  const phonePhoto = await withLocationData(readFixture('Landscape_1.jpg'));
  return sharp(phonePhoto).ensureAlpha(0.5).keepExif().keepXmp().withIccProfile('p3').webp({ quality: 80 }).toBuffer();
}

describe('stripWebpMetadata', () => {
  it('drops EXIF (GPS) and XMP and clears their VP8X flags; keeps the bitstream, alpha and ICC', async () => {
    const input = await phoneWebp();
    const before = await sharp(input).metadata();
    assert.ok(before.exif && hasGpsPointer(before.exif) && before.xmp && before.icc && before.hasAlpha, 'the input carries it all');
    const stripped = stripWebpMetadata(input)!;
    assert.deepEqual(chunkNames(stripped), chunkNames(input).filter((name) => name !== 'EXIF' && name !== 'XMP '));
    assert.equal(stripped[20]! & 0x0c, 0, 'EXIF and XMP flags cleared');
    const after = await sharp(stripped).metadata();
    assert.ok(isMetadataFree(after) && after.exif === undefined);
    assert.ok(after.icc, 'colours keep their profile');
    assert.ok(!stripped.includes('KittehPhone') && !stripped.includes('SN-123456789'));
    assert.deepEqual(await sharp(stripped).raw().toBuffer(), await sharp(input).raw().toBuffer(), 'same pixels');
    assert.equal(stripped.readUInt32LE(4), stripped.length - 8, 'RIFF size');
  });

  it('keeps simple lossy and lossless files and VP8X+ALPH byte for byte, without trailing bytes', () => {
    for (const file of ['4.webp', 'lossless.webp', '5_webp_a.webp']) {
      const webp = readFixture(file);
      assert.deepEqual(stripWebpMetadata(webp), webp, file);
      assert.deepEqual(stripWebpMetadata(Buffer.concat([webp, Buffer.from('appended')])), webp, `${file} with trailing bytes`);
    }
  });

  it('leaves animations and anything it does not understand to the caller', () => {
    assert.equal(stripWebpMetadata(readFixture('rotating-squares.webp')), undefined, 'animated');
    assert.equal(stripWebpMetadata(readFixture('Landscape_1.jpg')), undefined);
    assert.equal(stripWebpMetadata(Buffer.alloc(0)), undefined);
    const webp = readFixture('5_webp_a.webp');
    for (let cut = 0; cut < webp.length; cut += 997) assert.equal(stripWebpMetadata(webp.subarray(0, cut)), undefined, `cut at ${cut}`);
    const twoBitstreams = Buffer.concat([webp.subarray(0, 12), webp.subarray(12 + 18), webp.subarray(12 + 18)]);
    twoBitstreams.writeUInt32LE(twoBitstreams.length - 8, 4);
    assert.equal(stripWebpMetadata(twoBitstreams), undefined, 'two bitstreams');
    const lyingSize = Buffer.from(webp);
    lyingSize.writeUInt32LE(0xfffffff0, 16);
    assert.equal(stripWebpMetadata(lyingSize), undefined, 'chunk larger than the file');
    const garbage = Buffer.concat([webp.subarray(0, 12), Buffer.alloc(4000, 0xab)]);
    garbage.writeUInt32LE(garbage.length - 8, 4);
    assert.doesNotThrow(() => stripWebpMetadata(garbage));
  });
});
