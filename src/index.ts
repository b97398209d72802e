// The public API (docs/API.md): build, its options and result, the config helper, the error with its
// codes, and the size-report helpers behind `seabuild report`. Everything else in src/ is internal.
export { build, type BuildOptions, type BuildResult, type PlatformBuild } from './build.ts';
export { defineConfig, type SeabuildOptions, type ImageOptions, type VerifyOptions } from './options.ts';
export { SeabuildError, type ErrorCode, type Warning } from './errors.ts';
export type { Logger } from './log.ts';
export { readReport, compareReports, checkBudget, renderTable, renderDiff, renderMarkdown, renderHtml } from './report/index.ts';
export type { SizeReport, ReportComponent, ReportLayer, ReportDiff, Budget, BudgetResult } from './report/index.ts';
