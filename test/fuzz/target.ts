// What a fuzz target is: a function over bytes and the contract it must keep.
import { SeabuildError } from '../../src/errors.ts';

/** One parser under the fuzzer. */
export interface FuzzTarget {
  /** Substrings of the script URLs whose block coverage guides the search (the parser's files). */
  cover: string[];
  /** The seed and regression inputs kept in the repository, one file each. */
  corpusDir: string;
  /** Longest input tried. */
  maxBytes: number;
  /** Tokens of the format, for the dictionary mutation. */
  dictionary?: string[];
  /**
   * Runs one input (`workDir`: an empty folder of this run, for targets that read files).
   * Returning (or resolving) is fine; so is throwing what `allowed` accepts.
   */
  run(input: Buffer, workDir: string): unknown;
  /** The documented errors: anything else thrown is a finding. */
  allowed(error: unknown): boolean;
}

/** The contract of the build side: a SeabuildError with a code, a message and the file it read. */
export function isClearSeabuildError(file: string, codes?: readonly string[]): (error: unknown) => boolean {
  return (error) => error instanceof SeabuildError && error.message.length > 0 && error.file === file && (codes === undefined || codes.includes(error.code));
}
