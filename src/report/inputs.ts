// The inputs digest: one sha256 that changes when, and only when, something that went into the
// build changed, so two reports with the same digest describe the same build.
import { isAbsolute, relative, resolve } from 'node:path';
import { sha256Hex } from '../sha256.ts';
import type { ReportInput } from './input.ts';
import { SEABUILD_ROOT } from './javascript.ts';

/**
 * `sha256:` of sorted `name\tvalue` lines: seabuild's version, the node binary's sha256, the
 * SOURCE_DATE_EPOCH, the settings that shape the output, the sha256 of every bundled source file,
 * asset, migration and image library. Paths are relative (to the app, or to seabuild), so the
 * digest does not depend on where the app was checked out.
 */
export function digestInputs(result: ReportInput, seabuildVersion: string): string {
  const { config, bundle, embedded, executable, image } = result;
  const lines = [
    `seabuild\t${seabuildVersion}`,
    `node\t${executable.node.sha256}`,
    `sourceDateEpoch\t${config.sourceDateEpoch}`,
    `settings\t${JSON.stringify(outputSettings(result))}`,
  ];
  for (const [input, sha256] of Object.entries(bundle.inputSha256)) {
    const absolute = isAbsolute(input) ? input : resolve(config.root, input);
    lines.push(`js:${stablePath(absolute, config.root)}\t${sha256}`);
  }
  for (const record of embedded.assets?.records ?? []) lines.push(`asset:${record.logicalName}\t${record.sha256}`);
  for (const migration of embedded.migrations?.migrations ?? []) lines.push(`migration:${migration.file}\t${migration.sha256}`);
  for (const library of image?.closure.libraries ?? []) lines.push(`library:${library.path}\t${image!.libraries.sha256[library.hostPath]}`);
  if (image?.closure.interpreter) lines.push(`library:${image.closure.interpreter.path}\t${image.libraries.sha256[image.closure.interpreter.hostPath]}`);
  return `sha256:${sha256Hex(Buffer.from(`${lines.sort().join('\n')}\n`))}`;
}

/** The resolved settings that change the executable or the image (no absolute paths). */
function outputSettings({ config }: ReportInput): Record<string, unknown> {
  return {
    name: config.name, packageName: config.packageName, version: config.version, commit: config.commit ?? null,
    entry: relative(config.root, config.entry), assetPrefix: config.assetPrefix, port: config.port, minify: config.minify, ...(config.codeCache ? { codeCache: true } : {}),
    external: config.external, image: config.image ?? null,
  };
}

function stablePath(absolute: string, root: string): string {
  return absolute.startsWith(`${SEABUILD_ROOT}/`) ? `seabuild/${relative(SEABUILD_ROOT, absolute)}` : relative(root, absolute);
}
