// What Kitteh must answer for each file in test/fixtures/images (see its MANIFEST.tsv).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fixturesDir } from './kitteh.ts';

/** An accepted picture: its upright size and the media type its renditions get. */
export interface Accepted {
  file: string;
  status: 303;
  width: number;
  height: number;
  outputType: 'image/jpeg' | 'image/png' | 'image/webp';
}

/** A refused file: status and code. */
export interface Refused {
  file: string;
  status: 415 | 422;
  code: string;
}

export type FixtureCase = Accepted | Refused;

const ok = (file: string, width: number, height: number, outputType: Accepted['outputType']): Accepted => ({ file, status: 303, width, height, outputType });
const no = (file: string, status: 415 | 422, code: string): Refused => ({ file, status, code });
const landscapes = [1, 2, 3, 4, 5, 6, 7, 8].map((n) => ok(`Landscape_${n}.jpg`, 600, 450, 'image/jpeg'));

/** One row per fixture file; a test fails when MANIFEST.tsv lists a file missing here. */
export const fixtureCases: FixtureCase[] = [
  ...landscapes,
  ok('320x240.jpg', 320, 240, 'image/jpeg'),
  ok('progressive.jpg', 123, 456, 'image/jpeg'),
  ok('Channel_digital_image_CMYK_color_no_profile.jpg', 500, 333, 'image/jpeg'),
  ok('concert.jpg', 400, 267, 'image/jpeg'),
  ok('testimgl.jpg', 227, 149, 'image/jpeg'), // lossless JPEG: ImageMagick cannot decode it, sharp can
  ok('wrongextension.png', 448, 600, 'image/jpeg'), // a JPEG named .png: the bytes decide
  ok('with-alpha.png', 256, 192, 'image/png'),
  ok('tbgn2c16.png', 32, 32, 'image/png'), // 16-bit
  ok('swiss.png', 68, 68, 'image/png'),
  ok('pil123rgba.png', 162, 150, 'image/png'),
  ok('rotating-squares.gif', 80, 80, 'image/png'), // animated: first frame
  ok('4.webp', 1024, 772, 'image/webp'),
  ok('5_webp_a.webp', 300, 300, 'image/webp'),
  ok('lossless.webp', 123, 456, 'image/webp'),
  ok('rotating-squares.webp', 80, 80, 'image/webp'), // animated: first frame
  ok('pitm.avif', 4096, 800, 'image/jpeg'),
  ok('sample.avif', 123, 456, 'image/jpeg'),
  ok('little-endian.tiff', 123, 456, 'image/png'),
  ok('G31D_MULTI.TIF', 2464, 3248, 'image/png'), // multi-page: first page
  no('empty.jpeg', 422, 'empty_file'),
  no('broken.jpg', 415, 'unsupported_format'), // text named .jpg
  no('ssrf.png', 415, 'unsupported_format'), // ImageMagick MVG script named .png
  no('check.svg', 415, 'unsupported_format'), // SVG refused by policy
  no('sample.heic', 415, 'heic_unsupported'),
  no('corrupt-header.jpg', 422, 'unreadable_image'),
  no('truncated.jpg', 422, 'unreadable_image'),
  no('truncated.png', 422, 'unreadable_image'),
  no('decompression_bomb.gif', 422, 'unreadable_image'), // frame claims 65535×65535 in a 32×32 screen
  no('65536-uint32-limit.png', 422, 'too_many_pixels'), // 4.29 Gpx in 522 KB
];

/** File names listed in MANIFEST.tsv. */
export function manifestFiles(): string[] {
  const lines = readFileSync(join(fixturesDir, 'MANIFEST.tsv'), 'utf8').trim().split('\n').slice(1);
  return lines.map((line) => line.split('\t')[0]!).sort();
}

/** The bytes of a fixture. */
export function readFixture(file: string): Buffer {
  return readFileSync(join(fixturesDir, file));
}

/** Expected width of a rendition: the target, never more than the picture (no enlargement). */
export function expectedWidth(name: string, uprightWidth: number): number {
  const target = ({ tiny: 90, large: 300, monstrous: 600 } as Record<string, number>)[name];
  return target === undefined ? uprightWidth : Math.min(target, uprightWidth);
}
