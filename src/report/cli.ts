// `seabuild report REPORT.json` and `seabuild report OLD.json NEW.json`: parse, read, render, check
// the budget. Exit codes: 0 fine, 1 over budget or an unreadable report, 2 usage.
import { parseCommandLine } from '../cli-args.ts';
import { resolve } from 'node:path';
import { SeabuildError, usageError } from '../errors.ts';
import { writeFileAtomically } from '../fs-atomic.ts';
import { checkBudget, parseSize, type BudgetKind } from './budget.ts';
import { compareReports } from './compare.ts';
import { readReport } from './file.ts';
import { renderHtml } from './html.ts';
import { renderMarkdown } from './markdown.ts';
import { renderDiff, renderTable } from './text.ts';

/** The usage text of `seabuild report`. */
export const REPORT_USAGE = `Usage: seabuild report REPORT.json [options]
       seabuild report OLD.json NEW.json [options]

One report: the full table of layers and components. Two: what grew and shrank since OLD.

Options:
  --json                 print the report (one) or the difference (two) as JSON
  --markdown             print Markdown, for a pull-request comment
  --html PATH            also write one self-contained HTML page with treemaps
  --budget SIZE          exit 1 when the (new) image is bigger than SIZE, with a unit: 120MB, 1.5GB, 800MiB, 4096B
  --budget-kind KIND     compressed (default: what registries store and pulls download) or uncompressed`;

/** Where the command writes. */
export interface ReportIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

/** Runs `seabuild report ARGS`; returns the exit code. Throws SeabuildError (exit code 1 or 2) on bad input. */
export async function runReportCommand(argv: string[], io: ReportIo): Promise<number> {
  const { values, positionals } = parseReportArgs(argv);
  if (values.help) { io.stdout(`${REPORT_USAGE}\n`); return 0; }
  if (positionals.length < 1 || positionals.length > 2) throw reportUsageError(`expected one or two report files, got ${positionals.length}`);
  if (values.json && values.markdown) throw reportUsageError('--json and --markdown exclude each other');
  if (values['budget-kind'] !== undefined && values.budget === undefined) throw reportUsageError('--budget-kind needs --budget');
  const kind = values['budget-kind'] ?? 'compressed';
  if (kind !== 'compressed' && kind !== 'uncompressed') throw reportUsageError(`--budget-kind must be compressed or uncompressed, got "${kind}"`);
  const budget = values.budget === undefined ? undefined : { limitBytes: parseSize(values.budget), kind: kind as BudgetKind };

  const reports = await Promise.all(positionals.map((path) => readReport(resolve(path))));
  const [older, newer] = reports.length === 2 ? [reports[0], reports[1]!] : [undefined, reports[0]!];
  if (values.json) io.stdout(`${JSON.stringify(older ? compareReports(older, newer) : newer, null, 2)}\n`);
  else if (values.markdown) io.stdout(renderMarkdown(newer, older));
  else io.stdout(`${older ? renderDiff(compareReports(older, newer)) : renderTable(newer)}\n`);
  if (values.html !== undefined) {
    await writeFileAtomically(resolve(values.html), renderHtml(newer, older));
    io.stderr(`wrote ${values.html}\n`);
  }
  if (!budget) return 0;
  const verdict = checkBudget(newer, budget);
  io.stderr(`seabuild: ${verdict.message}\n`);
  return verdict.ok ? 0 : 1;
}

const REPORT_OPTIONS = {
  json: { type: 'boolean' }, markdown: { type: 'boolean' }, html: { type: 'string' },
  budget: { type: 'string' }, 'budget-kind': { type: 'string' }, help: { type: 'boolean', short: 'h' },
} as const;

/** The flags, typed; a bad one is named with a "did you mean" (src/cli-args.ts). */
function parseReportArgs(argv: string[]) {
  const { values, positionals } = parseCommandLine(argv, REPORT_OPTIONS, 'seabuild report --help');
  return { values: values as { json?: boolean; markdown?: boolean; html?: string; budget?: string; 'budget-kind'?: string; help?: boolean }, positionals };
}

/** A usage error that points at this command's help. */
function reportUsageError(message: string): SeabuildError {
  return usageError(message, 'run seabuild report --help for the options');
}
