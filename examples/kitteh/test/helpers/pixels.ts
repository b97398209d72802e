// Comparing pictures by their pixels: small enough to be robust to JPEG noise, big enough to tell
// a picture from its mirror image or its rotation.
import sharp from 'sharp';

/** The picture squeezed to 16×12 RGB (ignoring its aspect ratio), as raw bytes. */
export async function thumbnailPixels(image: Buffer): Promise<Buffer> {
  return sharp(image).resize(16, 12, { fit: 'fill' }).removeAlpha().toColourspace('srgb').raw().toBuffer();
}

/** Mean absolute difference of two equally sized raw buffers, 0–255. */
export function meanAbsoluteDifference(a: Buffer, b: Buffer): number {
  if (a.length !== b.length) throw new Error(`sizes differ: ${a.length} and ${b.length}`);
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += Math.abs(a[i]! - b[i]!);
  return sum / a.length;
}

/** A JPEG made from `image` with a GPS position, a camera serial and an XMP packet: what a phone uploads. */
export async function withLocationData(image: Buffer): Promise<Buffer> {
  return sharp(image)
    .withExif({
      IFD0: { Make: 'KittehPhone', Model: 'Whiskers 9' },
      IFD2: { BodySerialNumber: 'SN-123456789' },
      IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '48/1 51/1 24/1', GPSLongitudeRef: 'E', GPSLongitude: '2/1 21/1 7/1' },
    })
    .withXmp('<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description xmlns:exif="http://ns.adobe.com/exif/1.0/" exif:GPSLatitude="48,51.4N"/></rdf:RDF></x:xmpmeta>')
    .jpeg({ quality: 90 })
    .toBuffer();
}

/** Whether an EXIF block holds a GPS IFD pointer (tag 0x8825, little- or big-endian TIFF). */
export function hasGpsPointer(exif: Buffer): boolean {
  return exif.includes(Buffer.from([0x25, 0x88])) || exif.includes(Buffer.from([0x88, 0x25]));
}

/** Width × height as displayed (EXIF orientation applied). */
export function displayedSize(metadata: { width: number; height: number; autoOrient?: { width: number; height: number } }): [number, number] {
  return metadata.autoOrient ? [metadata.autoOrient.width, metadata.autoOrient.height] : [metadata.width, metadata.height];
}

/** True when a picture's metadata is at most the one-tag Orientation block that jpeg-strip.ts writes. */
export function isMetadataFree(metadata: { exif?: Buffer; xmp?: Buffer; iptc?: Buffer }): boolean {
  const exifOk = metadata.exif === undefined || (metadata.exif.length <= 64 && !hasGpsPointer(metadata.exif));
  return exifOk && metadata.xmp === undefined && metadata.iptc === undefined;
}
