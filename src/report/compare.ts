// Two reports → what grew and what shrank: per component (npm packages are components), per file
// within a component, per layer, and in total. Status comes from uncompressed bytes, which are
// exact; compressed bytes are shown beside them (they are shares, see compressed.ts).
import type { ReportComponent, ReportFile, SizeReport } from './schema.ts';

/** A before/after pair of byte counts. `deltaPercent` is null when there was nothing before. */
export interface ByteChange {
  oldBytes: number | null;
  newBytes: number | null;
  deltaBytes: number;
  deltaPercent: number | null;
}

/** How a component or file changed. */
/** `changed`: the same size, but other files or another package version. */
export type ChangeStatus = 'added' | 'removed' | 'grown' | 'shrunk' | 'changed' | 'unchanged';

/** One file's change within a component. */
export interface FileChange {
  path: string;
  status: ChangeStatus;
  change: ByteChange;
}

/** One component's change. */
export interface ComponentChange {
  id: string;
  name: string;
  kind: ReportComponent['kind'];
  status: ChangeStatus;
  uncompressed: ByteChange;
  /** Null when either report has no image. */
  compressed: ByteChange | null;
  /** Package versions before and after, when either side names one. */
  version?: { old?: string; new?: string };
  /** Files added, removed or changed (unchanged files are left out). */
  files: FileChange[];
}

/** What changed between two reports. */
export interface ReportDiff {
  old: ReportIdentity;
  new: ReportIdentity;
  totals: { uncompressed: ByteChange; compressed: ByteChange | null };
  layers: Array<{ name: string; uncompressed: ByteChange; compressed: ByteChange; digestChanged: boolean }>;
  /** Changed components, largest absolute uncompressed change first. */
  components: ComponentChange[];
  unchangedComponents: number;
}

/** Which build a report describes. */
export interface ReportIdentity {
  name: string;
  version: string;
  commit?: string;
  node: string;
  seabuild: string;
  inputsDigest: string;
}

/** Compares `older` with `newer`. */
export function compareReports(older: SizeReport, newer: SizeReport): ReportDiff {
  const olds = new Map(older.components.map((c) => [c.id, c]));
  const news = new Map(newer.components.map((c) => [c.id, c]));
  const ids = [...new Set([...olds.keys(), ...news.keys()])];
  const changes = ids.map((id) => compareComponent(olds.get(id), news.get(id)));
  const changed = changes.filter((c) => c.status !== 'unchanged')
    .sort((a, b) => Math.abs(b.uncompressed.deltaBytes) - Math.abs(a.uncompressed.deltaBytes) || (a.id < b.id ? -1 : 1));
  const oldLayers = new Map(older.layers.map((l) => [l.name, l]));
  return {
    old: identityOf(older),
    new: identityOf(newer),
    totals: {
      uncompressed: byteChange(older.totals.uncompressedBytes, newer.totals.uncompressedBytes),
      compressed: older.totals.compressedBytes === null || newer.totals.compressedBytes === null ? null : byteChange(older.totals.compressedBytes, newer.totals.compressedBytes),
    },
    layers: newer.layers.map((layer) => {
      const before = oldLayers.get(layer.name);
      return {
        name: layer.name,
        uncompressed: byteChange(before?.uncompressedBytes ?? null, layer.uncompressedBytes),
        compressed: byteChange(before?.compressedBytes ?? null, layer.compressedBytes),
        digestChanged: before?.digest !== layer.digest,
      };
    }),
    components: changed,
    unchangedComponents: changes.length - changed.length,
  };
}

function compareComponent(before: ReportComponent | undefined, after: ReportComponent | undefined): ComponentChange {
  const either = (after ?? before)!;
  const uncompressed = byteChange(before?.uncompressedBytes ?? null, after?.uncompressedBytes ?? null);
  const hasCompressed = (before === undefined || before.compressedBytes !== null) && (after === undefined || after.compressedBytes !== null);
  const files = compareFiles(before?.files ?? [], after?.files ?? []);
  const oldVersion = before?.package?.version;
  const newVersion = after?.package?.version;
  return {
    id: either.id,
    name: either.name,
    kind: either.kind,
    status: statusOf(uncompressed, files.length > 0 || oldVersion !== newVersion),
    uncompressed,
    compressed: hasCompressed ? byteChange(before?.compressedBytes ?? null, after?.compressedBytes ?? null) : null,
    ...(oldVersion !== undefined || newVersion !== undefined ? { version: { ...(oldVersion ? { old: oldVersion } : {}), ...(newVersion ? { new: newVersion } : {}) } } : {}),
    files,
  };
}

function compareFiles(before: readonly ReportFile[], after: readonly ReportFile[]): FileChange[] {
  const olds = new Map(before.map((f) => [f.path, f.sizeBytes]));
  const news = new Map(after.map((f) => [f.path, f.sizeBytes]));
  const paths = [...new Set([...olds.keys(), ...news.keys()])].sort();
  return paths.flatMap((path) => {
    const change = byteChange(olds.get(path) ?? null, news.get(path) ?? null);
    const status = statusOf(change, false);
    return status === 'unchanged' ? [] : [{ path, status, change }];
  });
}

/** The change from `oldBytes` to `newBytes` (null: absent on that side). */
export function byteChange(oldBytes: number | null, newBytes: number | null): ByteChange {
  const deltaBytes = (newBytes ?? 0) - (oldBytes ?? 0);
  return { oldBytes, newBytes, deltaBytes, deltaPercent: oldBytes ? (deltaBytes / oldBytes) * 100 : null };
}

/** Equal sizes with other contents (a file swapped for one of the same size) still count as a change. */
function statusOf(change: ByteChange, contentChanged: boolean): ChangeStatus {
  if (change.oldBytes === null) return 'added';
  if (change.newBytes === null) return 'removed';
  if (change.deltaBytes > 0) return 'grown';
  if (change.deltaBytes < 0) return 'shrunk';
  return contentChanged ? 'changed' : 'unchanged';
}

function identityOf(report: SizeReport): ReportIdentity {
  return {
    name: report.app.name,
    version: report.app.version,
    ...(report.app.commit ? { commit: report.app.commit } : {}),
    node: report.node.version,
    seabuild: report.seabuildVersion,
    inputsDigest: report.inputsDigest,
  };
}
