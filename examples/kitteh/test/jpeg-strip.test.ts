// jpeg-strip.ts on real JPEGs with metadata added, and on broken bytes.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import sharp from 'sharp';
import { stripJpegMetadata } from '../src/jpeg-strip.ts';
import { readFixture } from './helpers/fixtures.ts';
import { hasGpsPointer, withLocationData } from './helpers/pixels.ts';

const segment = (marker: number, payload: string): Buffer => {
  const body = Buffer.from(payload, 'latin1');
  const head = Buffer.alloc(4);
  head.writeUInt16BE(0xff00 | marker, 0);
  head.writeUInt16BE(body.length + 2, 2);
  return Buffer.concat([head, body]);
};

// The APPn segments with `marker` before the first scan.
function appSegments(jpeg: Buffer, marker: number): Buffer[] {
  const found: Buffer[] = [];
  for (let pos = 2; jpeg[pos + 1] !== 0xda; pos += 2 + jpeg.readUInt16BE(pos + 2)) {
    if (jpeg[pos + 1] === marker) found.push(jpeg.subarray(pos, pos + 2 + jpeg.readUInt16BE(pos + 2)));
  }
  return found;
}

describe('stripJpegMetadata', () => {
  it('drops EXIF (GPS), XMP, COM, MPF and bytes after EOI; keeps pixels, ICC and Adobe', async () => {
    // A CMYK JPEG (its APP14 Adobe segment matters) with a phone's EXIF and XMP spliced in.
    const cmyk = readFixture('Channel_digital_image_CMYK_color_no_profile.jpg');
    const phone = appSegments(await withLocationData(readFixture('Landscape_1.jpg')), 0xe1);
    const extra = Buffer.concat([...phone, segment(0xfe, 'shot at 48.85N 2.35E'), segment(0xe2, 'MPF\0secondary picture'), segment(0xed, 'Photoshop 3.0\0IPTC')]);
    const input = Buffer.concat([cmyk.subarray(0, 2), extra, cmyk.subarray(2), Buffer.from('ftypmp42 appended video')]);
    const withMeta = cmyk;
    assert.ok(hasGpsPointer((await sharp(input).metadata()).exif!));
    const stripped = stripJpegMetadata(input, 1)!;
    const metadata = await sharp(stripped).metadata();
    assert.equal(metadata.exif, undefined);
    assert.equal(metadata.xmp, undefined);
    assert.equal(metadata.iptc, undefined);
    for (const leak of ['48.85N', 'MPF', 'Photoshop', 'appended video', 'KittehPhone']) assert.ok(!stripped.includes(leak), leak);
    assert.ok(stripped.includes('Adobe'), 'the Adobe segment tells how to read CMYK');
    assert.deepEqual(stripped.subarray(-2), Buffer.from([0xff, 0xd9]));
    assert.deepEqual(await sharp(stripped).raw().toBuffer(), await sharp(withMeta).raw().toBuffer());
  });

  it('writes back Orientation 2–8 as the only EXIF tag', async () => {
    for (let orientation = 1; orientation <= 8; orientation++) {
      const stripped = stripJpegMetadata(readFixture(`Landscape_${orientation}.jpg`), orientation)!;
      const metadata = await sharp(stripped).metadata();
      assert.equal(metadata.orientation, orientation === 1 ? undefined : orientation);
      assert.equal(metadata.exif?.length, orientation === 1 ? undefined : 32); // the APP1 payload
    }
  });

  it('keeps progressive scans (markers between scans) intact', async () => {
    const progressive = readFixture('progressive.jpg');
    assert.deepEqual(await sharp(stripJpegMetadata(progressive, 1)!).raw().toBuffer(), await sharp(progressive).raw().toBuffer());
  });

  it('answers undefined, never throws, for bytes it cannot walk', () => {
    const jpeg = readFixture('Landscape_1.jpg');
    assert.equal(stripJpegMetadata(Buffer.alloc(0), 1), undefined);
    assert.equal(stripJpegMetadata(readFixture('swiss.png'), 1), undefined);
    assert.equal(stripJpegMetadata(readFixture('truncated.jpg'), 1), undefined, 'no EOI');
    for (let cut = 0; cut < 2000; cut += 7) assert.equal(stripJpegMetadata(jpeg.subarray(0, cut), 1), undefined, `cut at ${cut}`);
    const garbage = Buffer.from(jpeg);
    for (let i = 2; i < garbage.length; i += 97) garbage[i] = 0xff;
    assert.doesNotThrow(() => stripJpegMetadata(garbage, 1));
  });
});
