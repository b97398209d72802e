// Stage: the size report. Where every byte of the image goes (per layer and per component,
// compressed and uncompressed), what changed since another report, and views of both: terminal
// table, Markdown, JSON, one self-contained HTML page; plus a budget check for CI.
export { createReport, SEABUILD_VERSION } from './create.ts';
export type { ReportInput } from './input.ts';
export { compareReports, type ReportDiff, type ComponentChange, type FileChange, type ByteChange, type ChangeStatus } from './compare.ts';
export { renderTable, renderDiff, formatBuildSummary } from './text.ts';
export { renderMarkdown } from './markdown.ts';
export { renderHtml } from './html.ts';
export { checkBudget, parseSize, type Budget, type BudgetKind, type BudgetResult } from './budget.ts';
export { readReport, writeReport, writeBuildReport, reportPathFor, type BuildReport } from './file.ts';
export { runReportCommand, REPORT_USAGE } from './cli.ts';
export { SCHEMA_VERSION, type SizeReport, type ReportComponent, type ReportLayer, type ReportFile, type ComponentKind, type ComponentGroup, type Attribution } from './schema.ts';
