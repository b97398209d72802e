// Finds `seabuild://PATH` references in Kubernetes YAML and where exactly they are in the text, so
// that resolve.ts can replace those bytes and leave every other byte (comments, key order, quoting,
// document separators) as it was. The `yaml` package's parser gives each scalar its source range.
import { isMap, isScalar, parseAllDocuments, visit, LineCounter } from 'yaml';
import { SeabuildError } from '../errors.ts';

export const SCHEME = 'seabuild://';

/** One reference: the app path and the bytes [start, end) of its scalar in the file. */
export interface ImageReferenceSpan {
  path: string;
  start: number;
  end: number;
  /** 1-based line of the scalar. */
  line: number;
  /** The scalar's quoting, kept in the replacement. */
  quote: '"' | "'" | '';
}

/**
 * Every string value that starts with `seabuild://` (container and initContainer images, a
 * CronJob's jobTemplate, anywhere: as ko does for `ko://`). Each document must be a Kubernetes
 * object (a map with apiVersion and kind); documents holding only comments are skipped.
 */
export function findImageReferences(text: string, file: string): ImageReferenceSpan[] {
  const lineCounter = new LineCounter();
  const documents = parseAllDocuments(text, { lineCounter, prettyErrors: false });
  const lineOf = (offset: number): number => lineCounter.linePos(offset).line;
  const spans: ImageReferenceSpan[] = [];
  for (const document of Array.isArray(documents) ? documents : [documents]) {
    const error = document.errors[0];
    if (error) {
      throw new SeabuildError({ code: 'RESOLVE_YAML_INVALID', message: `not valid YAML: ${error.message.split('\n')[0]}`, file, line: lineOf(error.pos[0]), fix: 'fix the YAML syntax (kubectl would refuse it too)' });
    }
    const root = document.contents;
    if (root === null || (isScalar(root) && root.value === null)) continue;
    const kind = isMap(root) ? root.get('kind') : undefined;
    const apiVersion = isMap(root) ? root.get('apiVersion') : undefined;
    if (typeof kind !== 'string' || typeof apiVersion !== 'string') {
      throw new SeabuildError({
        code: 'RESOLVE_NOT_KUBERNETES',
        message: 'this YAML document is not a Kubernetes object (it needs apiVersion and kind)',
        file, line: lineOf(root.range?.[0] ?? 0),
        fix: 'pass only Kubernetes manifests to seabuild resolve -f',
      });
    }
    visit(document, {
      Scalar(key, node) {
        if (key !== 'value' && key !== null && typeof key !== 'number') return;
        if (typeof node.value !== 'string' || !node.value.startsWith(SCHEME) || !node.range) return;
        const path = node.value.slice(SCHEME.length);
        const [start, end] = node.range;
        if (!path) throw new SeabuildError({ code: 'RESOLVE_NOT_AN_APP', message: `"${node.value}" names no folder`, file, line: lineOf(start), fix: 'write seabuild://PATH with the folder of an app\'s package.json' });
        const quote = node.type === 'QUOTE_DOUBLE' ? '"' : node.type === 'QUOTE_SINGLE' ? "'" : '';
        spans.push({ path, start, end, line: lineOf(start), quote });
      },
    });
  }
  return spans;
}

/** `text` with each span replaced by its image reference; every other byte unchanged. */
export function replaceSpans(text: string, spans: readonly ImageReferenceSpan[], referenceOf: (span: ImageReferenceSpan) => string): string {
  let out = '';
  let at = 0;
  for (const span of [...spans].sort((a, b) => a.start - b.start)) {
    out += text.slice(at, span.start) + span.quote + referenceOf(span) + span.quote;
    at = span.end;
  }
  return out + text.slice(at);
}
