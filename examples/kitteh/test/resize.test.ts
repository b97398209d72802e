// The resize core alone (no HTTP, no database): every fixture, orientation, metadata, limits.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import sharp from 'sharp';
import { ImageError, resizeImage, type ResizedImage } from '../src/resize.ts';
import { runSelftest } from '../src/selftest.ts';
import { expectedWidth, fixtureCases, manifestFiles, readFixture } from './helpers/fixtures.ts';
import { displayedSize, hasGpsPointer, isMetadataFree, meanAbsoluteDifference, thumbnailPixels, withLocationData } from './helpers/pixels.ts';

const limits = { maxInputPixels: 50_000_000 };

async function resizeFixture(file: string): Promise<ResizedImage> {
  return resizeImage(readFixture(file), limits);
}

describe('resize core', () => {
  it('has an expectation for every file in MANIFEST.tsv', () => {
    assert.deepEqual(fixtureCases.map((c) => c.file).sort(), manifestFiles());
  });

  // An empty file never reaches the resize core: the upload layer answers it (test/upload.test.ts).
  for (const fixture of fixtureCases.filter((c) => c.status === 303 || c.code !== 'empty_file')) {
    if (fixture.status === 303) {
      it(`accepts ${fixture.file}: four renditions, right widths, upright size ${fixture.width}×${fixture.height}`, async () => {
        const resized = await resizeFixture(fixture.file);
        assert.deepEqual([resized.width, resized.height], [fixture.width, fixture.height]);
        assert.deepEqual(resized.renditions.map((r) => r.name).sort(), ['large', 'monstrous', 'original', 'tiny']);
        for (const rendition of resized.renditions) {
          const metadata = await sharp(rendition.data).metadata();
          const [shownWidth, shownHeight] = displayedSize(metadata);
          const width = expectedWidth(rendition.name, fixture.width);
          assert.equal(shownWidth, width, `${rendition.name} width`);
          assert.equal(rendition.width, width);
          assert.ok(Math.abs(shownHeight - (width * fixture.height) / fixture.width) <= 1, `${rendition.name} height ${shownHeight}`);
          assert.ok(isMetadataFree(metadata), `${rendition.name} carries metadata`);
          assert.equal(rendition.contentType, fixture.outputType);
          assert.equal((metadata.pages ?? 1), 1, 'one frame');
        }
      });
    } else {
      it(`refuses ${fixture.file} with ${fixture.status} ${fixture.code}`, async () => {
        const error = await resizeFixture(fixture.file).then(() => undefined, (e: unknown) => e);
        assert.ok(error instanceof ImageError, `expected an ImageError, got ${String(error)}`);
        assert.equal(error.code, fixture.code);
        assert.equal(error.status, fixture.status);
      });
    }
  }

  it('applies EXIF orientations 1–8: every Landscape_N looks like Landscape_1', async () => {
    const reference = await thumbnailPixels(monstrous(await resizeFixture('Landscape_1.jpg')));
    const mirrored = await thumbnailPixels(await sharp(monstrous(await resizeFixture('Landscape_1.jpg'))).flop().toBuffer());
    const rotated = await thumbnailPixels(await sharp(monstrous(await resizeFixture('Landscape_1.jpg'))).rotate(180).toBuffer());
    // The measure tells a wrong orientation apart: a mirror or a half turn differs a lot.
    assert.ok(meanAbsoluteDifference(reference, mirrored) > 30, 'mirror image should differ');
    assert.ok(meanAbsoluteDifference(reference, rotated) > 30, 'half turn should differ');
    for (let n = 2; n <= 8; n++) {
      const resized = await resizeFixture(`Landscape_${n}.jpg`);
      const output = monstrous(resized);
      const metadata = await sharp(output).metadata();
      assert.deepEqual([metadata.width, metadata.height], [600, 450], `Landscape_${n} is landscape 600×450`);
      assert.equal(metadata.orientation, undefined, 'no orientation tag left');
      const difference = meanAbsoluteDifference(reference, await thumbnailPixels(output));
      assert.ok(difference < 8, `Landscape_${n} differs from Landscape_1 by ${difference.toFixed(1)}`);
      // The original keeps its stored pixels and its Orientation tag: shown upright, it matches too.
      const original = resized.renditions.find((r) => r.name === 'original')!.data;
      const shown = await sharp(original, { autoOrient: true }).toBuffer();
      assert.ok(meanAbsoluteDifference(reference, await thumbnailPixels(shown)) < 8, `Landscape_${n} original, shown upright`);
    }
  });

  it('strips EXIF (GPS, camera serial), XMP, IPTC and ICC from every rendition', async () => {
    const phonePhoto = await withLocationData(readFixture('Landscape_1.jpg'));
    const input = await sharp(phonePhoto).metadata();
    assert.ok(input.exif && hasGpsPointer(input.exif) && input.xmp, 'the input carries GPS and XMP');
    const resized = await resizeImage(phonePhoto, limits);
    for (const rendition of resized.renditions) {
      const metadata = await sharp(rendition.data).metadata();
      assert.equal(metadata.exif, undefined, `${rendition.name} has EXIF`); // Orientation 1: no block written back
      assert.equal(metadata.xmp, undefined, `${rendition.name} has XMP`);
      assert.equal(metadata.iptc, undefined, `${rendition.name} has IPTC`);
      assert.equal(metadata.icc, undefined, `${rendition.name} has an ICC profile`);
      assert.ok(!rendition.data.includes('SN-123456789') && !rendition.data.includes('KittehPhone'), `${rendition.name} leaks camera data`);
    }
  });

  it('keeps a JPEG original\'s pixels bit-exact, drops its metadata, writes back only Orientation', async () => {
    const phonePhoto = await sharp(await withLocationData(readFixture('Landscape_6.jpg'))).withMetadata({ orientation: 6 }).jpeg().toBuffer();
    assert.ok(hasGpsPointer((await sharp(phonePhoto).metadata()).exif!));
    const original = (await resizeImage(phonePhoto, limits)).renditions.find((r) => r.name === 'original')!;
    assert.deepEqual([original.width, original.height], [600, 450]);
    const metadata = await sharp(original.data).metadata();
    assert.equal(metadata.orientation, 6);
    assert.ok(isMetadataFree(metadata), 'only the Orientation tag');
    assert.ok(!original.data.includes('KittehPhone') && !original.data.includes('SN-123456789'));
    assert.deepEqual(await sharp(original.data).raw().toBuffer(), await sharp(phonePhoto).raw().toBuffer(), 'same pixels');
  });

  it('keeps a still WebP original\'s bitstream without EXIF and XMP; re-encodes a rotated one upright', async () => {
    const phonePhoto = await sharp(await withLocationData(readFixture('Landscape_1.jpg'))).resize(1000).keepExif().keepXmp().webp().toBuffer();
    assert.ok(hasGpsPointer((await sharp(phonePhoto).metadata()).exif!));
    const original = (await resizeImage(phonePhoto, limits)).renditions.find((r) => r.name === 'original')!;
    assert.equal(original.contentType, 'image/webp');
    assert.deepEqual([original.width, original.height], [1000, 750]);
    assert.ok(isMetadataFree(await sharp(original.data).metadata()) && !original.data.includes('KittehPhone'));
    assert.deepEqual(await sharp(original.data).raw().toBuffer(), await sharp(phonePhoto).raw().toBuffer(), 'same pixels');
    const rotated = await sharp(phonePhoto).keepExif().withMetadata({ orientation: 6 }).webp().toBuffer();
    const upright = (await resizeImage(rotated, limits)).renditions.find((r) => r.name === 'original')!;
    const metadata = await sharp(upright.data).metadata();
    assert.deepEqual([metadata.width, metadata.height, metadata.orientation], [750, 1000, undefined], 're-encoded upright');
  });

  it('re-encodes other formats wider than 600 px at full size, upright (second decode)', async () => {
    const big = await sharp(readFixture('Landscape_6.jpg')).rotate().resize(1600, 1200).png().toBuffer();
    const original = (await resizeImage(big, limits)).renditions.find((r) => r.name === 'original')!;
    assert.deepEqual([original.width, original.height], [1600, 1200]);
    assert.equal(original.contentType, 'image/png');
    assert.equal((await sharp(original.data).metadata()).width, 1600);
  });

  it('refuses a picture over MAX_INPUT_PIXELS before decoding it', async () => {
    const error = await resizeImage(readFixture('Landscape_1.jpg'), { maxInputPixels: 600 * 450 - 1 }).catch((e: unknown) => e);
    assert.ok(error instanceof ImageError);
    assert.equal(error.code, 'too_many_pixels');
    assert.equal(error.status, 422);
  });

  it('selftest resizes the embedded picture', async () => {
    assert.match(await runSelftest(), /^selftest ok: sharp 0\.35\.5, libvips/);
  });
});

function monstrous(resized: ResizedImage): Buffer {
  return resized.renditions.find((r) => r.name === 'monstrous')!.data;
}
