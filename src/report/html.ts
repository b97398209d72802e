// One self-contained HTML page (no script, no network: inline CSS and SVG): treemaps of the image
// by compressed bytes and of what the executable carries besides node, the full table, and with a
// previous report, what changed (boxes coloured by change, and the change table).
import { compareReports, type ComponentChange, type ReportDiff } from './compare.ts';
import { formatBytes, formatDelta, formatPercent, formatShare } from './format.ts';
import type { ComponentGroup, ReportComponent, SizeReport } from './schema.ts';
import { rankComponents } from './text.ts';
import { layoutTreemap, type PlacedNode, type TreeNode } from './treemap.ts';

const WIDTH = 1200;
const HEIGHT = 600;
/** Average advance of a 12 px DejaVu Sans character, rounded up, to decide what label fits a box. */
const CHAR_WIDTH = 7.5;

const GROUP_COLOURS: Readonly<Record<ComponentGroup, string>> = {
  node: '#4e79a7', javascript: '#f2b447', embedded: '#59a14f', native: '#e15759', system: '#76b7b2', overhead: '#bab0ac',
};
const CHANGE_COLOURS = { added: '#d62728', grown: '#ff9896', changed: '#ffbb78', shrunk: '#98df8a', unchanged: '#d9d9d9', removed: '#d9d9d9' } as const;

interface BoxData { id: string; label: string; detail: string; fill: string; isGroup: boolean }

/** The HTML page for `report`, with the difference from `previous` when given. */
export function renderHtml(report: SizeReport, previous?: SizeReport): string {
  const diff = previous ? compareReports(previous, report) : undefined;
  const changes = new Map(diff?.components.map((c) => [c.id, c]) ?? []);
  const byCompressed = report.totals.compressedBytes !== null;
  const title = `Image size: ${report.app.name} ${report.app.version}`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(title)}</title>
<style>${STYLE}</style></head>
<body>
<header><h1>${escape(title)}</h1>
<p class="totals">${byCompressed ? `<strong>${formatBytes(report.totals.compressedBytes!)}</strong> compressed · ` : ''}${formatBytes(report.totals.uncompressedBytes)} uncompressed · node ${escape(report.node.version)} · seabuild ${escape(report.seabuildVersion)}${report.image ? ` · ${escape(report.image.reference)}` : ''}</p>
${diff ? `<p class="change">${describeTotal(diff)}</p>` : ''}</header>
<section><h2>${report.image ? 'The image, by compressed bytes' : 'The executable, by bytes'}${diff ? ', coloured by change' : ''}</h2>
${treemapSvg('treemap-image', imageTree(report, changes, diff !== undefined))}
${diff ? LEGEND_CHANGES : legendGroups()}</section>
<section><h2>The app besides node and system libraries: code, packages, assets, addons (uncompressed)</h2>
${treemapSvg('treemap-embedded', embeddedTree(report, changes, diff !== undefined))}</section>
${diff ? `<section id="changes"><h2>What changed since ${escape(diff.old.version)}</h2>${changeTable(diff)}</section>` : ''}
<section id="components"><h2>Every component</h2>${componentTable(report)}</section>
<footer>Compressed bytes per component are shares of each layer's real compressed size (docs/REPORT-SCHEMA.md). Inputs ${escape(report.inputsDigest)}.</footer>
</body></html>
`;
}

function imageTree(report: SizeReport, changes: Map<string, ComponentChange>, colourByChange: boolean): Array<TreeNode<BoxData>> {
  const value = (c: ReportComponent): number => c.compressedBytes ?? c.uncompressedBytes;
  const layers = report.layers.length > 0 ? report.layers.map((l) => l.name) : [null];
  return layers.map((layer) => {
    const components = report.components.filter((c) => c.layer === layer);
    const total = components.reduce((n, c) => n + value(c), 0);
    return {
      value: total,
      data: { id: `layer:${layer ?? 'executable'}`, label: `${layer ?? 'executable'} layer ${formatBytes(total)}`, detail: '', fill: '#ffffff', isGroup: true },
      children: components.map((c) => leaf(c, value(c), changes, colourByChange)),
    };
  });
}

function embeddedTree(report: SizeReport, changes: Map<string, ComponentChange>, colourByChange: boolean): Array<TreeNode<BoxData>> {
  const inside = report.components.filter((c) => c.group === 'javascript' || c.group === 'embedded' || c.group === 'native');
  const groups = [...new Set(inside.map((c) => c.group))];
  return groups.map((group) => {
    const members = inside.filter((c) => c.group === group);
    const total = members.reduce((n, c) => n + c.uncompressedBytes, 0);
    return {
      value: total,
      data: { id: `group:${group}`, label: `${group} ${formatBytes(total)}`, detail: '', fill: '#ffffff', isGroup: true },
      children: members.map((c) => leaf(c, c.uncompressedBytes, changes, colourByChange)),
    };
  });
}

function leaf(c: ReportComponent, value: number, changes: Map<string, ComponentChange>, colourByChange: boolean): TreeNode<BoxData> {
  const change = changes.get(c.id);
  const fill = colourByChange ? CHANGE_COLOURS[change?.status ?? 'unchanged'] : GROUP_COLOURS[c.group];
  const changeText = change ? ` · ${change.status} ${formatDelta(change.uncompressed.deltaBytes)}` : '';
  return { value, data: { id: c.id, label: c.name, detail: `${formatBytes(value)}${changeText}`, fill, isGroup: false } };
}

function treemapSvg(id: string, tree: Array<TreeNode<BoxData>>): string {
  const placed = layoutTreemap(tree, { x: 0, y: 0, width: WIDTH, height: HEIGHT }, { padding: 3, headerHeight: 18 });
  if (placed.length === 0) return `<p class="empty">nothing to show</p>`;
  return `<svg id="${id}" class="treemap" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${HEIGHT}" width="${WIDTH}" height="${HEIGHT}" role="img">
${placed.map(box).join('\n')}
</svg>`;
}

function box(node: PlacedNode<BoxData>): string {
  const { x, y, width, height, data } = node;
  const r = (n: number): string => n.toFixed(1);
  const label = fitLabel(data.label, width);
  const showLabel = label !== '' && height >= 16;
  const showDetail = showLabel && !data.isGroup && height >= 32 && fitLabel(data.detail, width) === data.detail;
  return `<g class="${data.isGroup ? 'group' : 'box'}" data-id="${escape(data.id)}" data-name="${escape(data.label)}" data-bytes="${node.value}">`
    + `<title>${escape(`${data.label}${data.detail ? ` — ${data.detail}` : ''}`)}</title>`
    + `<rect x="${r(x)}" y="${r(y)}" width="${r(width)}" height="${r(height)}" fill="${data.fill}"/>`
    + (showLabel ? `<text class="label" x="${r(x + 4)}" y="${r(y + 13)}">${escape(label)}</text>` : '')
    + (showDetail ? `<text class="detail" x="${r(x + 4)}" y="${r(y + 27)}">${escape(data.detail)}</text>` : '')
    + '</g>';
}

/** The label, cut with an ellipsis to fit `width`, or '' when not even three characters fit. */
export function fitLabel(label: string, width: number): string {
  const fits = Math.floor((width - 8) / CHAR_WIDTH);
  if (fits >= label.length) return label;
  return fits >= 4 ? `${label.slice(0, fits - 1)}…` : '';
}

function componentTable(report: SizeReport): string {
  const total = report.totals.compressedBytes ?? report.totals.uncompressedBytes;
  const rows = rankComponents(report).map((c) => `<tr><td><span class="swatch" style="background:${GROUP_COLOURS[c.group]}"></span>${escape(c.name)}</td><td>${c.kind}</td><td>${escape(c.layer ?? '–')}</td>`
    + `<td class="n">${c.compressedBytes === null ? '–' : formatBytes(c.compressedBytes)}</td><td class="n">${formatBytes(c.uncompressedBytes)}</td>`
    + `<td class="n">${formatShare(c.compressedBytes ?? c.uncompressedBytes, total)}</td><td>${c.package ? escape(`${c.package.name} ${c.package.version ?? ''}`) : ''}</td></tr>`);
  return `<table><thead><tr><th>component</th><th>kind</th><th>layer</th><th>compressed</th><th>uncompressed</th><th>share</th><th>package</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function changeTable(diff: ReportDiff): string {
  if (diff.components.length === 0) return '<p>No component changed.</p>';
  const rows = diff.components.flatMap((c) => [
    `<tr class="${c.status}"><td>${c.status}</td><td>${escape(c.name)}</td><td class="n">${formatDelta(c.uncompressed.deltaBytes)}</td><td class="n">${formatPercent(c.uncompressed)}</td><td class="n">${c.compressed ? formatDelta(c.compressed.deltaBytes) : '–'}</td></tr>`,
    ...c.files.slice(0, 20).map((f) => `<tr class="file"><td>${f.status}</td><td>↳ ${escape(f.path)}</td><td class="n">${formatDelta(f.change.deltaBytes)}</td><td class="n">${formatPercent(f.change)}</td><td></td></tr>`),
  ]);
  return `<table><thead><tr><th>change</th><th>component</th><th>uncompressed</th><th>%</th><th>compressed</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function describeTotal(diff: ReportDiff): string {
  const total = diff.totals.compressed ?? diff.totals.uncompressed;
  return `${escape(formatDelta(total.deltaBytes))} ${diff.totals.compressed ? 'compressed ' : ''}(${formatPercent(total)}) since ${escape(diff.old.name)} ${escape(diff.old.version)}`;
}

function legendGroups(): string {
  return `<p class="legend">${Object.entries(GROUP_COLOURS).map(([group, colour]) => `<span class="swatch" style="background:${colour}"></span>${group}`).join(' ')}</p>`;
}

const LEGEND_CHANGES = `<p class="legend">${Object.entries(CHANGE_COLOURS).filter(([s]) => s !== 'removed').map(([status, colour]) => `<span class="swatch" style="background:${colour}"></span>${status}`).join(' ')}</p>`;

const STYLE = `body{font:14px/1.4 "DejaVu Sans",system-ui,sans-serif;margin:24px;color:#222}
h1{font-size:22px;margin:0 0 4px}h2{font-size:16px;margin:24px 0 8px}
.treemap{display:block;border:1px solid #999;max-width:100%;height:auto}
.treemap rect{stroke:#fff;stroke-width:1}.treemap .group>rect{stroke:#666}
.treemap text{font:12px "DejaVu Sans",sans-serif;fill:#111;pointer-events:none}.treemap .group>text{font-weight:bold}
.treemap .detail{fill:#333}
table{border-collapse:collapse}td,th{padding:2px 10px;border-bottom:1px solid #ddd;text-align:left}.n{text-align:right;font-variant-numeric:tabular-nums}
.swatch{display:inline-block;width:10px;height:10px;margin:0 4px 0 8px}tr.file td{color:#555;font-size:12px}
footer{margin-top:24px;color:#666;font-size:12px}`;

function escape(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');
}
