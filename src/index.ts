// The public API: everything else in src/ is internal.
export { build, type BuildOptions, type BuildResult } from './build.ts';
export { defineConfig, type SeabuildOptions, type ImageOptions } from './options.ts';
export { SeabuildError, type Warning } from './errors.ts';
export type { ResolvedConfig } from './config.ts';
export type { Bundle } from './bundle/index.ts';
export type { Embedded, AssetSet, MigrationSet } from './embed/index.ts';
export type { SeaExecutable } from './sea/index.ts';
export type { PlatformBuild } from './build.ts';
export type { Target, TargetPlatform } from './platform/index.ts';
export type { ImageBuild, Image, ImageArchive, Closure } from './image/index.ts';
export type { Verification } from './verify/index.ts';
export type { SizeReport, ReportComponent, ReportLayer, ReportDiff, Budget, BudgetResult } from './report/index.ts';
export { compareReports, checkBudget, readReport, renderTable, renderDiff, renderMarkdown, renderHtml } from './report/index.ts';
export { verifyArchive } from './verify-archive.ts';
export type { PackageFile, PackageFiles } from './embed/files/types.ts';
export type { Sboms, SbomDocument, SbomFormat } from './sbom/index.ts';
export type { Publication } from './image/publish.ts';
export { resolveManifests, type Resolved, type ResolveInput } from './resolve/index.ts';
