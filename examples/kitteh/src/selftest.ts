// `selftest`: the whole resize core on a picture carried in the code, all in memory (the build's
// smoke run happens in a read-only root filesystem). It proves that sharp's native addon and
// libvips load, and that orientation, size and metadata handling behave: the picture is a 16×24
// JPEG with EXIF Orientation 6 (upright: 24×16, red left half, blue right half) and a GPS tag.
import sharp from 'sharp';
import { resizeImage } from './resize.ts';

const PICTURE_BASE64 = [
  '/9j/4QD+RXhpZgAASUkqAAgAAAAHABIBAwABAAAABgAAABoBBQABAAAAYgAAABsBBQABAAAAagAAACgBAwABAAAAAgAAABMC',
  'AwABAAAAAQAAAGmHBAABAAAAcgAAACWIBAABAAAAwAAAAAAAAAA4YwAA6AMAADhjAADoAwAABgAAkAcABAAAADAyMTABkQcA',
  'BAAAAAECAwAAoAcABAAAADAxMDABoAMAAQAAAP//AAACoAQAAQAAABAAAAADoAQAAQAAABgAAAAAAAAAAgABAAIAAgAAAE4A',
  'AAACAAUAAwAAAN4AAAAAAAAAMAAAAAEAAAAzAAAAAQAAABgAAAABAAAA/+IB8ElDQ19QUk9GSUxFAAEBAAAB4GxjbXMEIAAA',
  'bW50clJHQiBYWVogB+IAAwAUAAkADgAdYWNzcE1TRlQAAAAAc2F3c2N0cmwAAAAAAAAAAAAAAAAAAPbWAAEAAAAA0y1oYW5k',
  'eem/Vlo+AbaDI4VVRvdPqgAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAKZGVzYwAAAPwAAAAkY3BydAAAASAAAAAi',
  'd3RwdAAAAUQAAAAUY2hhZAAAAVgAAAAsclhZWgAAAYQAAAAUZ1hZWgAAAZgAAAAUYlhZWgAAAawAAAAUclRSQwAAAcAAAAAg',
  'Z1RSQwAAAcAAAAAgYlRSQwAAAcAAAAAgbWx1YwAAAAAAAAABAAAADGVuVVMAAAAIAAAAHABzAFIARwBCbWx1YwAAAAAAAAAB',
  'AAAADGVuVVMAAAAGAAAAHABDAEMAMAAAWFlaIAAAAAAAAPbWAAEAAAAA0y1zZjMyAAAAAAABDD8AAAXd///zJgAAB5AAAP2S',
  '///7of///aIAAAPcAADAcVhZWiAAAAAAAABvoAAAOPIAAAOPWFlaIAAAAAAAAGKWAAC3iQAAGNpYWVogAAAAAAAAJKAAAA+F',
  'AAC2xHBhcmEAAAAAAAMAAAACZmkAAPKnAAANWQAAE9AAAApb/9sAQwADAgIDAgIDAwMDBAMDBAUIBQUEBAUKBwcGCAwKDAwL',
  'CgsLDQ4SEA0OEQ4LCxAWEBETFBUVFQwPFxgWFBgSFBUU/9sAQwEDBAQFBAUJBQUJFA0LDRQUFBQUFBQUFBQUFBQUFBQUFBQU',
  'FBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQU/8AAEQgAGAAQAwEiAAIRAQMRAf/EABYAAQEBAAAAAAAAAAAAAAAAAAAG',
  'CP/EABgQAQADAQAAAAAAAAAAAAAAAAAWZKPh/8QAFQEBAQAAAAAAAAAAAAAAAAAACAT/xAAaEQABBQEAAAAAAAAAAAAAAAAA',
  'AwYXVKPS/9oADAMBAAIRAxEAPwDNgoInaz6RO1n0m5NadzNXgvjN2U9EuygAA8dx/9k=',
].join('');

/** Runs the resize core once; throws naming what is wrong. */
export async function runSelftest(): Promise<string> {
  const started = performance.now();
  const resized = await resizeImage(Buffer.from(PICTURE_BASE64, 'base64'), { maxInputPixels: 1_000_000, timeoutSeconds: 10 });
  for (const rendition of resized.renditions) {
    // The original keeps its stored pixels and an Orientation-only EXIF block: decode it upright.
    const { data, info } = await sharp(rendition.data, { autoOrient: true }).raw().toBuffer({ resolveWithObject: true });
    const metadata = await sharp(rendition.data).metadata();
    const where = `selftest: ${rendition.name}`;
    if (info.width !== 24 || info.height !== 16) throw new Error(`${where} is ${info.width}×${info.height}, expected 24×16 (upright, not enlarged)`);
    if ((metadata.exif && metadata.exif.length > 64) || metadata.xmp || metadata.iptc) throw new Error(`${where} still carries metadata`);
    const left = data.subarray(0, 3);
    const right = data.subarray((info.width - 1) * info.channels, (info.width - 1) * info.channels + 3);
    if (!(left[0]! > 150 && left[2]! < 100 && right[2]! > 150 && right[0]! < 100)) throw new Error(`${where} is not upright (left ${[...left]}, right ${[...right]})`);
  }
  const versions = sharp.versions as Record<string, string>;
  return `selftest ok: sharp ${versions.sharp}, libvips ${versions.vips}, ${resized.renditions.length} renditions in ${(performance.now() - started).toFixed(0)} ms`;
}
