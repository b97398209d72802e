// The shape of a report file, checked field by field before any reader touches it: a report is
// read back from disk (`seabuild report`, `--compare`, the previous build's), and a hand-edited,
// truncated or foreign file must end in one REPORT_INVALID naming the field, not in a TypeError
// deep inside the diff or a renderer (fuzzing found seven such crashes).

/** Returns undefined when `value` fits, else what it should have been. */
type Check = (value: unknown) => string | undefined;

const text: Check = (v) => (typeof v === 'string' ? undefined : 'a string');
const count: Check = (v) => (typeof v === 'number' && Number.isFinite(v) ? undefined : 'a finite number');
const nullable = (check: Check): Check => (v) => (v === null ? undefined : check(v) && `${check(v)} or null`);

// Which field is wrong, as a path: `components[3].files`.
let failedAt = '';

function object(fields: Record<string, Check>, optional: readonly string[] = []): Check {
  return (v) => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return 'an object';
    for (const [key, check] of Object.entries(fields)) {
      const field = (v as Record<string, unknown>)[key];
      if (field === undefined && optional.includes(key)) continue;
      const problem = check(field);
      if (problem) {
        failedAt = `.${key}${failedAt}`;
        return problem;
      }
    }
    return undefined;
  };
}

function list(check: Check): Check {
  return (v) => {
    if (!Array.isArray(v)) return 'an array';
    for (let i = 0; i < v.length; i++) {
      const problem = check(v[i]);
      if (problem) {
        failedAt = `[${i}]${failedAt}`;
        return problem;
      }
    }
    return undefined;
  };
}

const component = object({
  id: text, kind: text, group: text, name: text, layer: nullable(text), uncompressedBytes: count, compressedBytes: nullable(count), attribution: nullable(text),
  package: object({ source: text, name: text, version: text }, ['version']),
  files: list(object({ path: text, sizeBytes: count })),
}, ['package', 'files']);

const sizeReport = object({
  seabuildVersion: text,
  app: object({ name: text, packageName: text, version: text, commit: text }, ['commit']),
  sourceDateEpoch: count,
  inputsDigest: text,
  node: object({ version: text, binaryBytes: count, strippedBytes: count }),
  executable: object({ path: text, sizeBytes: count, sha256: text, blobBytes: count }),
  image: nullable(object({ reference: text, imageId: text, manifestDigest: text, machine: text, compression: text, compressionLevel: count })),
  layers: list(object({ name: text, digest: text, diffId: text, mediaType: text, compressedBytes: count, uncompressedBytes: count, fileCount: count })),
  totals: object({ compressedBytes: nullable(count), uncompressedBytes: count }),
  components: list(component),
});

/** `undefined` when `value` has every field of a size report, else the first wrong one: `components[3].files is not an array`. */
export function findShapeProblem(value: unknown): string | undefined {
  failedAt = '';
  const problem = sizeReport(value);
  return problem && `${failedAt.replace(/^\./, '') || 'the report'} is not ${problem}`;
}
