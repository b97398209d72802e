// The terminal views: the full table of one report, the diff of two, and the build's short summary.
import { compareReports, type ComponentChange, type ReportDiff } from './compare.ts';
import { formatBytes, formatCommit, formatDelta, formatPercent, formatShare, formatVersionChange, renderColumns } from './format.ts';
import type { ReportComponent, SizeReport } from './schema.ts';

/** Components by the bytes that matter most: compressed with an image, else uncompressed. */
export function rankComponents(report: SizeReport): ReportComponent[] {
  const key = (c: ReportComponent): number => c.compressedBytes ?? c.uncompressedBytes;
  return [...report.components].sort((a, b) => key(b) - key(a) || b.uncompressedBytes - a.uncompressedBytes || (a.id < b.id ? -1 : 1));
}

/** The report's heading: app, node, seabuild, image. */
export function describeReport(report: SizeReport): string {
  const image = report.image ? `image ${report.image.reference} (${report.image.compression} level ${report.image.compressionLevel}, ${report.image.machine})` : 'no image (executable only)';
  return `${report.app.name} ${report.app.version}${report.app.commit ? ` (${formatCommit(report.app.commit)})` : ''} · node ${report.node.version} · seabuild ${report.seabuildVersion}\n${image}`;
}

/** The full table of one report: layers, then every component. */
export function renderTable(report: SizeReport): string {
  const total = report.totals.compressedBytes ?? report.totals.uncompressedBytes;
  const layerRows = [
    ['LAYER', 'DIGEST', 'COMPRESSED', 'UNCOMPRESSED', 'FILES'],
    ...report.layers.map((l) => [l.name, l.digest.slice(0, 19), formatBytes(l.compressedBytes), formatBytes(l.uncompressedBytes), String(l.fileCount)]),
    ['total', '', report.totals.compressedBytes === null ? '-' : formatBytes(report.totals.compressedBytes), formatBytes(report.totals.uncompressedBytes), ''],
  ];
  const componentRows = [
    ['COMPONENT', 'KIND', 'LAYER', 'COMPRESSED', 'UNCOMPRESSED', 'SHARE', 'FROM'],
    ...rankComponents(report).map((c) => [
      c.name, c.kind, c.layer ?? '-',
      c.compressedBytes === null ? '-' : formatBytes(c.compressedBytes),
      formatBytes(c.uncompressedBytes),
      formatShare(c.compressedBytes ?? c.uncompressedBytes, total),
      c.package ? `${c.package.source} ${c.package.name}${c.package.version ? ` ${c.package.version}` : ''}` : '',
    ]),
  ];
  return [
    describeReport(report),
    '',
    report.layers.length > 0 ? renderColumns(layerRows, [2, 3, 4]) : `executable ${formatBytes(report.totals.uncompressedBytes)}`,
    '',
    renderColumns(componentRows, [3, 4, 5]),
    '',
    'compressed bytes per component are shares of each layer\'s real size (docs/REPORT-SCHEMA.md)',
  ].join('\n');
}

/** What grew and what shrank, by component and within components by file. */
export function renderDiff(diff: ReportDiff): string {
  const { old: before, new: after } = diff;
  const lines = [
    `${before.name} ${before.version} → ${after.name} ${after.version}${before.node !== after.node ? ` (node ${before.node} → ${after.node})` : ''}`,
    totalLine('compressed', diff.totals.compressed),
    totalLine('uncompressed', diff.totals.uncompressed),
    ...diff.layers.filter((l) => l.digestChanged).map((l) => `  layer ${l.name}: ${formatBytes(l.compressed.newBytes ?? 0)} compressed, ${formatDelta(l.compressed.deltaBytes)} (${formatPercent(l.compressed)}), new digest`),
  ];
  const grew = diff.components.filter((c) => c.uncompressed.deltaBytes > 0 || c.status === 'changed');
  const shrank = diff.components.filter((c) => c.uncompressed.deltaBytes < 0);
  if (grew.length > 0) lines.push('', 'GREW', changeTable(grew));
  if (shrank.length > 0) lines.push('', 'SHRANK', changeTable(shrank));
  if (diff.components.length === 0) lines.push('', 'no component changed');
  lines.push('', `${diff.unchangedComponents} component${diff.unchangedComponents === 1 ? '' : 's'} unchanged`);
  return lines.join('\n');
}

function totalLine(label: string, change: ReportDiff['totals']['compressed']): string {
  if (!change) return `  total ${label}: not comparable (a report without an image)`;
  return `  total ${label}: ${formatBytes(change.oldBytes ?? 0)} → ${formatBytes(change.newBytes ?? 0)}, ${formatDelta(change.deltaBytes)} (${formatPercent(change)})`;
}

function changeTable(changes: readonly ComponentChange[]): string {
  const rows: string[][] = [];
  for (const change of changes) {
    const version = formatVersionChange(change);
    rows.push([
      `  ${change.name}${version}`, change.status, change.kind,
      formatDelta(change.uncompressed.deltaBytes), formatPercent(change.uncompressed),
      change.compressed ? `${formatDelta(change.compressed.deltaBytes)} compressed` : '',
    ]);
    for (const file of change.files.slice(0, 20)) rows.push([`      ${file.path}`, file.status, '', formatDelta(file.change.deltaBytes), formatPercent(file.change), '']);
    if (change.files.length > 20) rows.push([`      … ${change.files.length - 20} more files`, '', '', '', '', '']);
  }
  return renderColumns(rows, [3, 4]);
}

/** The build's few summary lines: size, largest components, change since the previous report. */
export function formatBuildSummary(report: SizeReport, options: { path: string; previous?: SizeReport; previousLabel?: string }): string[] {
  const { compressedBytes, uncompressedBytes } = report.totals;
  const size = compressedBytes === null ? `${formatBytes(uncompressedBytes)} (executable; no image)` : `${formatBytes(compressedBytes)} compressed, ${formatBytes(uncompressedBytes)} uncompressed`;
  const largest = rankComponents(report).slice(0, 4).map((c) => `${c.name} ${formatBytes(c.compressedBytes ?? c.uncompressedBytes)}`).join(' · ');
  const lines = [`  size        ${size}; report ${options.path}`, `  largest     ${largest}`];
  if (options.previous) lines.push(`  change      ${describeChange(compareReports(options.previous, report), options.previousLabel)}`);
  return lines;
}

function describeChange(diff: ReportDiff, label: string | undefined): string {
  const total = diff.totals.compressed ?? diff.totals.uncompressed;
  const since = `since ${label ?? `${diff.old.name} ${diff.old.version}`}`;
  if (diff.components.length === 0) return `no component changed ${since}${total.deltaBytes === 0 ? '' : ` (${formatDelta(total.deltaBytes)} in total)`}`;
  // Framing and tar padding move with every change of the blob's size: name what the user changed.
  const named = diff.components.filter((c) => c.kind !== 'sea-overhead' && c.kind !== 'tar-overhead');
  const top = named.slice(0, 3).map((c) => `${c.name} ${formatDelta(c.uncompressed.deltaBytes)}${c.status === 'added' || c.status === 'removed' ? ` (${c.status})` : ''}`).join(', ');
  return `${formatDelta(total.deltaBytes)} ${diff.totals.compressed ? 'compressed ' : ''}(${formatPercent(total)}) ${since}: ${top}${named.length > 3 ? `, +${named.length - 3} more` : ''}`;
}
