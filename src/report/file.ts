// Reading and writing report files: written atomically beside the executable, read back with the
// schema version checked, so a report from a future seabuild is refused rather than misread.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SeabuildError, type Warning } from '../errors.ts';
import { immediateOutputs, type OutputWriter } from '../staged-outputs.ts';
import type { ResolvedConfig } from '../config.ts';
import { findShapeProblem } from './check.ts';
import { createReport } from './create.ts';
import type { ReportInput } from './input.ts';
import { SCHEMA_VERSION, type SizeReport } from './schema.ts';

/** `<outDir>/<name>.report.json`. */
export function reportPathFor(config: Pick<ResolvedConfig, 'outDir' | 'name' | 'artifactName'>): string {
  return join(config.outDir, `${config.artifactName ?? config.name}.report.json`);
}

/** Reads and checks a report file. */
export async function readReport(path: string): Promise<SizeReport> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    throw new SeabuildError({ code: 'REPORT_NOT_FOUND', message: `cannot read the report (${(cause as NodeJS.ErrnoException).code ?? 'error'})`, file: path, fix: 'pass the path of a dist/<name>.report.json that a seabuild build wrote', cause });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    throw new SeabuildError({ code: 'REPORT_INVALID', message: `not JSON: ${(cause as Error).message}`, file: path, fix: 'rebuild to write the report again', cause });
  }
  return checkReport(value, path);
}

/** Checks the parts of a report that every reader relies on. */
export function checkReport(value: unknown, file: string): SizeReport {
  const report = value as Partial<SizeReport> | null;
  if (typeof report !== 'object' || report === null || !('schemaVersion' in report)) {
    throw new SeabuildError({ code: 'REPORT_INVALID', message: 'not a seabuild size report (no schemaVersion)', file, fix: 'pass a dist/<name>.report.json that a seabuild build wrote' });
  }
  if (report.schemaVersion !== SCHEMA_VERSION) {
    throw new SeabuildError({ code: 'REPORT_SCHEMA_UNSUPPORTED', message: `report schema version ${String(report.schemaVersion)}; this seabuild reads version ${SCHEMA_VERSION}`, file, fix: 'read it with the seabuild version that wrote it, or rebuild' });
  }
  const problem = findShapeProblem(report);
  if (problem) throw new SeabuildError({ code: 'REPORT_INVALID', message: `not a size report this seabuild can read: ${problem}`, file, fix: 'rebuild to write the report again' });
  return report as SizeReport;
}

/** Writes `report` as JSON (2-space indented, trailing newline), atomically. */
export async function writeReport(path: string, report: SizeReport, outputs: OutputWriter = immediateOutputs): Promise<void> {
  await outputs.write(path, (temp) => writeFile(temp, `${JSON.stringify(report, null, 2)}\n`, { mode: 0o644 }));
}

/** What `writeBuildReport` did. */
export interface BuildReport {
  path: string;
  report: SizeReport;
  /** The report this build replaced, read before it was overwritten. */
  previous?: SizeReport;
  warnings: Warning[];
}

/** Reads the previous report (if any), creates this build's report and writes it in its place. */
export async function writeBuildReport(result: ReportInput, outputs: OutputWriter = immediateOutputs): Promise<BuildReport> {
  const path = reportPathFor(result.config);
  const warnings: Warning[] = [];
  let previous: SizeReport | undefined;
  try {
    previous = await readReport(path);
  } catch (error) {
    if (!(error instanceof SeabuildError) || error.code !== 'REPORT_NOT_FOUND') {
      warnings.push({ code: 'REPORT_PREVIOUS_UNREADABLE', message: `the previous size report cannot be read, so this build is not compared with it: ${(error as Error).message}`, file: path, fix: 'ignore it once: this build replaces it' });
    }
  }
  const report = await createReport(result);
  await writeReport(path, report, outputs);
  return { path, report, ...(previous ? { previous } : {}), warnings };
}
