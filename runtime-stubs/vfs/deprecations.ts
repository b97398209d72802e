// Node leaves out some deprecation warnings when the call comes from a file under node_modules:
// Buffer() (DEP0005) and url.parse() (DEP0169, Node 24+). In one bundle no file is, so every package
// that still calls them (live-server's dependencies, old request-style clients) printed a warning
// that node never prints. The build appends `__seabuild_package_lines()` to the bundle: the lines
// where it switches between app and package code (src/bundle/package-lines.ts). A warning Node
// emits for a call from a package line is dropped. Node emits each of these once per process and
// marks it emitted even when dropped, so a later call from the app is not warned about either.

declare const __seabuild_package_lines: (() => number[]) | undefined;

const decidedByCaller = new Set(['DEP0005', 'DEP0169']);

export function quietPackageDeprecations(): void {
  const emitWarning = process.emitWarning;
  process.emitWarning = function (this: unknown, warning: unknown, ...rest: unknown[]) {
    const code = typeof rest[0] === 'object' && rest[0] !== null ? (rest[0] as { code?: unknown }).code : rest[1];
    if (typeof code === 'string' && decidedByCaller.has(code) && calledFromPackage()) return;
    return (emitWarning as Function).call(this, warning, ...rest);
  } as typeof process.emitWarning;
}

/** Whether the first frame outside Node (and this file's wrapper) is a package line of this bundle. */
function calledFromPackage(): boolean {
  if (typeof __seabuild_package_lines !== 'function') return false;
  const frames = structuredStack();
  const bundle = frames[0]?.getFileName(); // the wrapper above: the bundle itself
  const caller = frames.slice(1).find((frame) => !(frame.getFileName() ?? 'node:').startsWith('node:'));
  if (!caller || caller.getFileName() !== bundle) return false;
  const line = caller.getLineNumber() ?? 0;
  // Toggles: package code from lines[0] up to lines[1], and so on.
  return __seabuild_package_lines().filter((start) => start <= line).length % 2 === 1;
}

function structuredStack(): NodeJS.CallSite[] {
  const { prepareStackTrace, stackTraceLimit } = Error;
  Error.prepareStackTrace = (_, frames) => frames;
  Error.stackTraceLimit = 20;
  try {
    const holder: { stack?: NodeJS.CallSite[] } = {};
    Error.captureStackTrace(holder, structuredStack);
    return (holder.stack ?? []).slice(1); // [0] is calledFromPackage
  } finally {
    Error.prepareStackTrace = prepareStackTrace;
    Error.stackTraceLimit = stackTraceLimit;
  }
}
