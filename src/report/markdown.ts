// Markdown for pull-request comments: the totals, what changed since the previous report (when
// given), and the largest components. GitHub-flavoured tables; pipes in names are escaped.
import { compareReports } from './compare.ts';
import { formatBytes, formatDelta, formatPercent, formatShare, formatVersionChange } from './format.ts';
import type { SizeReport } from './schema.ts';
import { rankComponents } from './text.ts';

/** How many component rows the markdown lists before summing the rest. */
const MAX_ROWS = 15;

/** One report, or (with `previous`) the report and what changed since `previous`. */
export function renderMarkdown(report: SizeReport, previous?: SizeReport): string {
  const { compressedBytes, uncompressedBytes } = report.totals;
  const lines = [
    `### Image size: ${cell(report.app.name)} ${cell(report.app.version)}`,
    '',
    `${compressedBytes === null ? '' : `**${formatBytes(compressedBytes)}** compressed · `}${formatBytes(uncompressedBytes)} uncompressed · node ${report.node.version} · seabuild ${report.seabuildVersion}`,
  ];
  if (previous) lines.push('', ...changeSection(previous, report));
  const total = compressedBytes ?? uncompressedBytes;
  const ranked = rankComponents(report);
  lines.push('', '| component | kind | compressed | uncompressed | share |', '|---|---|--:|--:|--:|');
  for (const c of ranked.slice(0, MAX_ROWS)) {
    lines.push(`| ${cell(c.name)} | ${c.kind} | ${c.compressedBytes === null ? '–' : formatBytes(c.compressedBytes)} | ${formatBytes(c.uncompressedBytes)} | ${formatShare(c.compressedBytes ?? c.uncompressedBytes, total)} |`);
  }
  const rest = ranked.slice(MAX_ROWS);
  if (rest.length > 0) {
    const restBytes = rest.reduce((n, c) => n + (c.compressedBytes ?? c.uncompressedBytes), 0);
    lines.push(`| ${rest.length} more | | ${formatBytes(restBytes)} | | ${formatShare(restBytes, total)} |`);
  }
  return `${lines.join('\n')}\n`;
}

function changeSection(previous: SizeReport, report: SizeReport): string[] {
  const diff = compareReports(previous, report);
  const total = diff.totals.compressed ?? diff.totals.uncompressed;
  const lines = [`**${formatDelta(total.deltaBytes)}** ${diff.totals.compressed ? 'compressed ' : ''}(${formatPercent(total)}) since ${cell(diff.old.version)}`];
  if (diff.components.length === 0) return [...lines, '', 'No component changed.'];
  lines.push('', '| change | component | uncompressed | % | compressed |', '|---|---|--:|--:|--:|');
  for (const c of diff.components) {
    const version = cell(formatVersionChange(c));
    lines.push(`| ${c.status} | ${cell(c.name)}${version} | ${formatDelta(c.uncompressed.deltaBytes)} | ${formatPercent(c.uncompressed)} | ${c.compressed ? formatDelta(c.compressed.deltaBytes) : '–'} |`);
    for (const f of c.files.slice(0, 10)) lines.push(`| ${f.status} | ↳ \`${cell(f.path)}\` | ${formatDelta(f.change.deltaBytes)} | ${formatPercent(f.change)} | |`);
  }
  return lines;
}

/** A table cell: pipes escaped, newlines flattened. */
function cell(text: string): string {
  return text.replaceAll('|', '\\|').replaceAll('\n', ' ');
}
