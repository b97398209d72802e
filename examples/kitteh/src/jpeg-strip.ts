// A JPEG's original pixels without its metadata: the segments are copied, the entropy-coded data
// untouched, so the "original" download is the uploaded picture bit for bit, minus where it was taken.
//
// Kept (ITU T.81 and the formats that colour depends on): SOF/DHT/DQT/DRI/SOS and scan data, APP0
// JFIF/JFXX, APP2 ICC_PROFILE (colours), APP14 Adobe (CMYK/YCCK transform). Dropped: APP1 (EXIF with
// GPS, camera serial and a thumbnail that may show the uncropped picture; XMP), other APP2 (MPF:
// secondary pictures such as depth maps), APP3–APP13 (IPTC), APP15, COM, and any bytes after EOI
// (e.g. a "motion photo" video appended by some phones). The EXIF orientation is written back as a
// one-tag EXIF block, so the picture still shows upright.

const SOI = 0xd8;
const EOI = 0xd9;
const SOS = 0xda;
const APP0 = 0xe0;
const APP2 = 0xe2;
const APP14 = 0xee;

/** The stripped JPEG, or undefined when the bytes are not a JPEG this walk understands. */
export function stripJpegMetadata(jpeg: Buffer, orientation: number): Buffer | undefined {
  if (jpeg.length < 4 || jpeg[0] !== 0xff || jpeg[1] !== SOI) return undefined;
  const parts: Buffer[] = [jpeg.subarray(0, 2)];
  if (orientation >= 2 && orientation <= 8) parts.push(orientationSegment(orientation));
  let pos = 2;
  while (pos < jpeg.length) {
    if (jpeg[pos] !== 0xff) return undefined;
    while (jpeg[pos + 1] === 0xff) pos++; // fill bytes
    const marker = jpeg[pos + 1];
    if (marker === undefined) return undefined;
    if (marker === EOI) {
      parts.push(jpeg.subarray(pos, pos + 2));
      return Buffer.concat(parts);
    }
    if ((marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) {
      parts.push(jpeg.subarray(pos, pos + 2));
      pos += 2;
      continue;
    }
    if (pos + 4 > jpeg.length) return undefined;
    const end = pos + 2 + jpeg.readUInt16BE(pos + 2);
    if (end > jpeg.length) return undefined;
    const segment = jpeg.subarray(pos, end);
    if (keepSegment(marker, segment)) parts.push(segment);
    pos = end;
    if (marker === SOS) {
      const scanEnd = findScanEnd(jpeg, pos);
      parts.push(jpeg.subarray(pos, scanEnd));
      pos = scanEnd;
    }
  }
  return undefined; // no EOI: truncated
}

function keepSegment(marker: number, segment: Buffer): boolean {
  if (marker === 0xfe) return false; // COM
  if (marker < APP0 || marker > 0xef) return true; // not an APPn: part of the picture
  const id = segment.subarray(4, 16).toString('latin1');
  if (marker === APP0) return id.startsWith('JFIF\0') || id.startsWith('JFXX\0');
  if (marker === APP2) return id.startsWith('ICC_PROFILE\0');
  if (marker === APP14) return id.startsWith('Adobe');
  return false;
}

// Entropy-coded data ends at the first marker that is not a stuffed 0xFF00, a restart marker or fill.
// indexOf (memchr) jumps from one 0xFF to the next: on a 24 MP camera JPEG (5.9 MB of scan data)
// the whole strip took 13.8 ms with a byte-by-byte loop, 4.7 ms this way (0.27 → 0.13 ms at 600×450).
function findScanEnd(jpeg: Buffer, start: number): number {
  let i = jpeg.indexOf(0xff, start);
  while (i !== -1 && i < jpeg.length - 1) {
    const next = jpeg[i + 1]!;
    if (next === 0x00 || (next >= 0xd0 && next <= 0xd7)) i = jpeg.indexOf(0xff, i + 2);
    else if (next === 0xff) i++;
    else return i;
  }
  return jpeg.length;
}

// APP1 "Exif\0\0", a big-endian TIFF header and IFD0 with one entry: Orientation (0x0112), SHORT.
function orientationSegment(orientation: number): Buffer {
  const segment = Buffer.alloc(36);
  segment.writeUInt16BE(0xffe1, 0);
  segment.writeUInt16BE(34, 2);
  segment.write('Exif\0\0', 4, 'latin1');
  segment.write('MM', 10, 'latin1');
  segment.writeUInt16BE(42, 12);
  segment.writeUInt32BE(8, 14); // IFD0 offset from the TIFF header
  segment.writeUInt16BE(1, 18); // one entry
  segment.writeUInt16BE(0x0112, 20);
  segment.writeUInt16BE(3, 22); // SHORT
  segment.writeUInt32BE(1, 24); // count
  segment.writeUInt16BE(orientation, 28); // value, left-justified in the 4-byte field
  segment.writeUInt32BE(0, 32); // no next IFD
  return segment;
}
