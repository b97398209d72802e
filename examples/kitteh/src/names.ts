// Cat names (Adjective + Colour + Breed) and upload tokens.
import { randomBytes, randomInt } from 'node:crypto';
import { adjectives, breeds, colours } from './words.ts';

/** Picks an integer in [0, max); injectable so a test can force a name collision. */
export type PickIndex = (max: number) => number;

/** The cryptographic default: names are not predictable from earlier ones. */
export const pickRandomIndex: PickIndex = (max) => randomInt(max);

/** A fresh cat name such as `SublimeDandelionUkrainianLevkoy`. */
export function generateName(pick: PickIndex = pickRandomIndex): string {
  return `${adjectives[pick(adjectives.length)]}${colours[pick(colours.length)]}${breeds[pick(breeds.length)]}`;
}

/** How many different names there are. */
export const nameCount = adjectives.length * colours.length * breeds.length;

/** Whether a URL segment can be a cat name at all (checked before any database lookup). */
export function isNameShaped(segment: string): boolean {
  return /^[A-Z][A-Za-z]{5,120}$/.test(segment);
}

/** An unguessable token for /img/:token URLs and the storage folder: 128 random bits, base64url. */
export function generateToken(): string {
  return randomBytes(16).toString('base64url');
}

/** Whether a URL segment can be a token. */
export function isTokenShaped(segment: string): boolean {
  return /^[A-Za-z0-9_-]{22}$/.test(segment);
}
