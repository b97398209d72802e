// The resize core: one untrusted picture in, four metadata-free upright renditions out
// (the full-size `original`, tiny 90 px, large 300 px, monstrous 600 px wide), all in memory.
//
// Decisions, with what was measured on this machine (sharp 0.35.5, libvips 8.18.7):
// - One decode for the three sizes: the input is decoded once, already shrunk to at most 600 px
//   wide (libvips' shrink-on-load makes a big JPEG cheap to decode small), into raw pixels; the
//   three sizes are encoded from those. `.clone()` per size would decode the file once per clone:
//   on pitm.avif three clones took 370 ms against 98 ms for one raw decode.
// - The uploaded file is never served as is: it carries EXIF (GPS position, camera serial) and the
//   page links to the original, so that would leak where a photo was taken. A JPEG's original is
//   its own bytes with the metadata segments cut out (jpeg-strip.ts; only Orientation is written
//   back), and so is an upright still WebP's (webp-strip.ts); other formats are re-encoded at full
//   size, or reuse the monstrous size's bytes when the picture is at most 600 px wide. Measured:
//   re-encoding the original cost more than the three sizes together (12 MP JPEGs; 83 of 114 ms
//   for a 1024×772 WebP).
// - Orientation: `autoOrient` applies EXIF Orientation 1–8 before resizing; outputs carry none.
// - No enlargement: a picture narrower than a size keeps its own width there (upscaling adds
//   bytes and blur, no detail), so an 80 px GIF is 80 px in all three sizes.
// - Animated GIF/WebP and multi-page TIFF: the first frame only (sharp's default `pages: 1`).
// - Decompression bombs: `limitInputPixels` refuses on the header's dimensions, before decoding;
//   `failOn: 'warning'` refuses truncated and corrupt data instead of rendering grey halves.
// - Accepted formats are an allow-list. SVG is refused (it can carry script and external
//   references); HEIC is refused with 415 because the prebuilt libvips reads its header but has no
//   HEVC decoder ("Support for this compression format has not been built in").
import sharp, { type Metadata, type Sharp } from 'sharp';
import { stripJpegMetadata } from './jpeg-strip.ts';
import { stripWebpMetadata } from './webp-strip.ts';

/** Names of the stored renditions, in display order. */
export type RenditionName = 'tiny' | 'large' | 'monstrous' | 'original';

/** Target widths in pixels (the original keeps its own). */
export const sizeWidths = { tiny: 90, large: 300, monstrous: 600 } as const;

/** The sizes made from the shared decode. */
export const sizeNames = ['tiny', 'large', 'monstrous'] as const;

/** One encoded output. */
export interface Rendition {
  name: RenditionName;
  width: number;
  height: number;
  contentType: string;
  extension: string;
  data: Buffer;
}

/** What the resize core found and made. */
export interface ResizedImage {
  /** The detected input format (sharp's name: jpeg, png, webp, gif, tiff, heif). */
  type: string;
  /** The detected input media type, from the bytes (never the client's claim). */
  contentType: string;
  /** Upright dimensions of the input. */
  width: number;
  height: number;
  renditions: Rendition[];
}

/** Limits for untrusted input. */
export interface ResizeLimits {
  maxInputPixels: number;
  /** Per pipeline; a picture that takes longer is refused. */
  timeoutSeconds?: number;
}

/** Why a picture was refused; `status` is the HTTP answer. */
export type ImageErrorCode = 'unsupported_format' | 'heic_unsupported' | 'too_many_pixels' | 'unreadable_image';

/** A picture that cannot be accepted (the client's fault, never the server's). */
export class ImageError extends Error {
  override name = 'ImageError';
  readonly code: ImageErrorCode;
  readonly status: 415 | 422;
  constructor(code: ImageErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.status = code === 'unsupported_format' || code === 'heic_unsupported' ? 415 : 422;
  }
}

type OutputFormat = 'jpeg' | 'png' | 'webp';
const inputTypes: Record<string, string> = {
  jpeg: 'image/jpeg', png: 'image/png', webp: 'image/webp', gif: 'image/gif', tiff: 'image/tiff', heif: 'image/avif',
};
const outputTypes: Record<OutputFormat, { contentType: string; extension: string }> = {
  jpeg: { contentType: 'image/jpeg', extension: 'jpg' },
  png: { contentType: 'image/png', extension: 'png' },
  webp: { contentType: 'image/webp', extension: 'webp' },
};

/** Checks, decodes once and encodes the four renditions of `input` (the uploaded bytes). */
export async function resizeImage(input: Buffer, limits: ResizeLimits): Promise<ResizedImage> {
  const metadata = await readMetadata(input, limits);
  const type = acceptFormat(metadata);
  const options = { autoOrient: true, failOn: 'warning', limitInputPixels: limits.maxInputPixels } as const;
  const timeout = { seconds: limits.timeoutSeconds ?? 60 };
  const decoded = await sharp(input, options)
    .resize({ width: sizeWidths.monstrous, withoutEnlargement: true })
    .toColourspace('srgb').raw({ depth: 'uchar' }).timeout(timeout)
    .toBuffer({ resolveWithObject: true })
    .catch((error: unknown) => { throw classifySharpError(error); });
  const { width, height, channels } = decoded.info;
  const format = chooseOutputFormat(type, channels === 4);
  const fromDecoded = (): Sharp => sharp(decoded.data, { raw: { width, height, channels } });
  const upright = uprightSize(metadata);
  // A size as wide as the decoded pixels is the same picture: encode it once and reuse the bytes
  // (an 80 px GIF has one encode for all four; a 600 px photo's original is its monstrous size).
  const sameAsDecoded = (target: number): boolean => target >= width;
  const decodedOnce = encode('monstrous', fromDecoded(), format);
  const encodings = [
    ...sizeNames.map((name) => (sameAsDecoded(sizeWidths[name])
      ? decodedOnce.then((r) => ({ ...r, name }))
      : encode(name, fromDecoded().resize({ width: sizeWidths[name] }), format))),
    keepOriginalBytes(type, input, metadata, upright)
      ?? (upright.width <= sizeWidths.monstrous
        ? decodedOnce.then((r) => ({ ...r, name: 'original' as const }))
        : encode('original', sharp(input, options).toColourspace('srgb').timeout(timeout), format)),
  ];
  const renditions = await Promise.all(encodings).catch((error: unknown) => { throw classifySharpError(error); });
  return { type, contentType: inputTypes[type]!, width: upright.width, height: upright.height, renditions };
}

// A JPEG's or still WebP's original is its own compressed pixels with the metadata cut out: exact,
// and nearly free. A WebP's rotation would go with its EXIF, so only an upright one is kept.
function keepOriginalBytes(type: string, input: Buffer, metadata: Metadata, upright: { width: number; height: number }): Rendition | undefined {
  const orientation = metadata.orientation ?? 1;
  const data = type === 'jpeg' ? stripJpegMetadata(input, orientation)
    : type === 'webp' && orientation === 1 ? stripWebpMetadata(input) : undefined;
  return data && { name: 'original', ...upright, ...outputTypes[type as 'jpeg' | 'webp'], data };
}

async function readMetadata(input: Buffer, limits: ResizeLimits): Promise<Metadata> {
  try {
    return await sharp(input, { limitInputPixels: limits.maxInputPixels }).metadata();
  } catch (error) {
    throw classifySharpError(error);
  }
}

function acceptFormat(metadata: Metadata): string {
  const { format } = metadata;
  if (format === 'heif' && metadata.compression === 'hevc') {
    throw new ImageError('heic_unsupported', 'HEIC pictures cannot be decoded here (no HEVC decoder): export the photo as JPEG and upload that');
  }
  if (format === 'svg') throw new ImageError('unsupported_format', 'SVG is not accepted: upload a JPEG, PNG, WebP, GIF, AVIF or TIFF picture');
  if (!(format in inputTypes)) {
    throw new ImageError('unsupported_format', `${format ?? 'this'} files are not accepted: upload a JPEG, PNG, WebP, GIF, AVIF or TIFF picture`);
  }
  return format;
}

function uprightSize(metadata: Metadata): { width: number; height: number } {
  // Multi-page inputs report the whole strip's height; the first page is what is rendered.
  const height = metadata.pageHeight ?? metadata.height;
  const rotated = (metadata.orientation ?? 1) >= 5;
  return rotated ? { width: height, height: metadata.width } : { width: metadata.width, height };
}

// Photos stay JPEG and WebP stays WebP; lossless and animated inputs (PNG, GIF, TIFF) become PNG,
// as does anything with transparency. AVIF is not an output: encoding it costs seconds per picture.
function chooseOutputFormat(type: string, hasAlpha: boolean): OutputFormat {
  if (type === 'webp') return 'webp';
  if (hasAlpha || type === 'png' || type === 'gif' || type === 'tiff') return 'png';
  return 'jpeg';
}

async function encode(name: RenditionName, pipeline: Sharp, format: OutputFormat): Promise<Rendition> {
  // The full-size original of a big picture keeps more detail than the sizes made for screens.
  // Measured on Landscape_1 at 600 px: Huffman optimisation saves 0.9 % of the bytes and triples the
  // JPEG encode time (6.9 → 1.9 ms); WebP effort 2 instead of 4 halves the encode for +2–8 % bytes.
  const quality = name === 'original' ? 90 : 80;
  const encoder = format === 'jpeg' ? pipeline.jpeg({ quality, optimiseCoding: false })
    : format === 'webp' ? pipeline.webp({ quality, effort: 2 }) : pipeline.png();
  const { data, info } = await encoder.toBuffer({ resolveWithObject: true });
  return { name, width: info.width, height: info.height, ...outputTypes[format], data };
}

/** Turns a sharp/libvips failure into the answer the uploader sees. */
export function classifySharpError(error: unknown): ImageError {
  if (error instanceof ImageError) return error;
  const message = error instanceof Error ? error.message : String(error);
  if (/exceeds pixel limit/i.test(message)) {
    return new ImageError('too_many_pixels', 'The picture has too many pixels (a decompression bomb, or simply too big): the limit is MAX_INPUT_PIXELS', { cause: error });
  }
  if (/unsupported image format/i.test(message)) {
    return new ImageError('unsupported_format', 'This file is not a picture in a format Kitteh accepts: upload a JPEG, PNG, WebP, GIF, AVIF or TIFF picture', { cause: error });
  }
  if (/compression format has not been built in/i.test(message)) {
    return new ImageError('heic_unsupported', 'This picture uses a compression Kitteh cannot decode (HEVC): export it as JPEG and upload that', { cause: error });
  }
  return new ImageError('unreadable_image', 'The picture is damaged or truncated and cannot be decoded', { cause: error });
}
