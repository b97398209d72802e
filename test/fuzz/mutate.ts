// libFuzzer's mutation set, in small: each step changes an input one way, and several steps are
// stacked per execution. The random source is seeded so that a run with the same corpus, seed and
// execution count tries exactly the same inputs (a CI run is reproducible).

/** A seeded 32-bit generator (mulberry32). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Boundary values that break length and offset arithmetic (libFuzzer's and AFL's lists).
const INTERESTING = [0, 1, 0x7f, 0x80, 0xff, 0x100, 0x7fff, 0x8000, 0xffff, 0x10000, 0x7fffffff, 0x80000000, 0xffffffff];

/** What a mutation may draw from besides the input itself. */
export interface MutationSources {
  /** Other corpus entries, for crossover. */
  corpus: readonly Buffer[];
  /** Tokens of the format (keywords, magic numbers). */
  dictionary: readonly Buffer[];
  maxBytes: number;
}

/** `input` changed by one to five stacked mutations, at most `maxBytes` long. */
export function mutate(input: Buffer, sources: MutationSources, random: () => number): Buffer {
  let out: Buffer = Buffer.from(input);
  const steps = 1 + Math.floor(random() * 5);
  for (let i = 0; i < steps; i++) out = mutateOnce(out, sources, random);
  return out.length > sources.maxBytes ? out.subarray(0, sources.maxBytes) : out;
}

function mutateOnce(input: Buffer, sources: MutationSources, random: () => number): Buffer {
  const below = (n: number): number => Math.floor(random() * n);
  const at = (): number => below(Math.max(input.length, 1));
  const kind = below(input.length === 0 ? 1 : 11);
  switch (kind) {
    case 0: { // insert random bytes, or one byte repeated
      const count = 1 + below(16);
      const bytes = random() < 0.5 ? Buffer.alloc(count, below(256)) : Buffer.from(Array.from({ length: count }, () => below(256)));
      return splice(input, at(), 0, bytes);
    }
    case 1: { const out = Buffer.from(input); out[at()]! ^= 1 << below(8); return out; }
    case 2: { const out = Buffer.from(input); out[at()] = below(256); return out; }
    case 3: return writeInteresting(input, at(), random);
    case 4: { const start = at(); return splice(input, start, 1 + below(Math.min(64, input.length - start)), Buffer.alloc(0)); }
    case 5: { // copy a range of the input over or into another place
      const start = at();
      const piece = input.subarray(start, start + 1 + below(64));
      return splice(input, at(), random() < 0.5 ? piece.length : 0, Buffer.from(piece));
    }
    case 6: { // crossover with another corpus entry
      const other = sources.corpus[below(sources.corpus.length)];
      if (!other || other.length === 0) return input;
      const start = below(other.length);
      return splice(input, at(), random() < 0.5 ? 0 : below(64), other.subarray(start, start + 1 + below(256)));
    }
    case 7: { // a dictionary token, inserted or written over
      const token = sources.dictionary[below(sources.dictionary.length)];
      if (!token) return writeInteresting(input, at(), random);
      return splice(input, at(), random() < 0.5 ? 0 : token.length, token);
    }
    case 8: { // small arithmetic on one byte
      const out = Buffer.from(input);
      const i = at();
      out[i] = (out[i]! + (random() < 0.5 ? 1 : -1) * (1 + below(16))) & 0xff;
      return out;
    }
    case 9: return input.subarray(0, at()); // truncate
    default: { // swap two bytes
      const out = Buffer.from(input);
      const i = at();
      const j = at();
      [out[i], out[j]] = [out[j]!, out[i]!];
      return out;
    }
  }
}

function writeInteresting(input: Buffer, offset: number, random: () => number): Buffer {
  const value = INTERESTING[Math.floor(random() * INTERESTING.length)]!;
  const width = [1, 2, 4, 8][Math.floor(random() * 4)]!;
  const bytes = Buffer.alloc(width);
  const littleEndian = random() < 0.5;
  for (let i = 0; i < width; i++) {
    const shift = 8 * (littleEndian ? i : width - 1 - i);
    bytes[i] = shift < 32 ? (value >>> shift) & 0xff : 0;
  }
  return splice(input, offset, width, bytes);
}

function splice(input: Buffer, start: number, deleteCount: number, insert: Buffer): Buffer {
  return Buffer.concat([input.subarray(0, start), insert, input.subarray(start + deleteCount)]);
}
