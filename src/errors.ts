// One error shape for every stage: what went wrong, where, and how to fix it.
// Modelled on esbuild's Message (text + location + notes) and execa's error (command, exit code, output, cause).

/**
 * Every code a SeabuildError can carry (what `catch (error) { if (error.code === …) }` can test).
 * The compiler keeps it complete: a `new SeabuildError` with a code not listed here does not type-check.
 */
export type ErrorCode =
  | 'ADDON_NO_TARGET_BUILD' | 'ADDON_PLATFORM_CONFLICT'
  | 'ASSET_LINK_OUTSIDE'
  | 'BUDGET_NO_IMAGE'
  | 'BUNDLE_FAILED' | 'BUNDLE_SYNTAX_ERROR' | 'BUNDLE_UNRESOLVED_IMPORT'
  | 'CACHE_INSIDE_APP'
  | 'CA_BUNDLE_MISSING'
  | 'COMMAND_BIN_NOT_FOUND' | 'COMMAND_BIN_NOT_NODE' | 'COMMAND_EMPTY' | 'COMMAND_FILE_NOT_FOUND' | 'COMMAND_NAME_RESERVED' | 'COMMAND_NEEDS_ENGINE' | 'COMMAND_NEEDS_SHELL' | 'COMMAND_NODE_OPTIONS' | 'COMMAND_SCRIPT_NOT_FOUND'
  | 'CODE_CACHE_FOREIGN_PLATFORM' | 'CODE_CACHE_UNSUPPORTED'
  | 'CONFIG_DIR_NOT_FOUND' | 'CONFIG_INVALID_IMAGE_NAME' | 'CONFIG_INVALID_JSON' | 'CONFIG_INVALID_SBOM' | 'CONFIG_INVALID_TYPE' | 'CONFIG_KEY_CONFLICT' | 'CONFIG_LOAD_FAILED' | 'CONFIG_NODE_FOR_HOST' | 'CONFIG_NOT_FOUND' | 'CONFIG_UNKNOWN_KEY'
  | 'ELF_CORRUPT' | 'ELF_INTERPRETER_MISMATCH' | 'ELF_NOT_ELF' | 'ELF_READ_FAILED' | 'ELF_UNSUPPORTED_CLASS' | 'ELF_UNSUPPORTED_ENDIANNESS' | 'ELF_UNSUPPORTED_MACHINE' | 'ELF_WRONG_MACHINE'
  | 'EMBED_LINK_BROKEN' | 'EMBED_LINK_OUTSIDE_PACKAGE'
  | 'ENTRY_MISSING' | 'ENTRY_NOT_FOUND' | 'TREE_ENTRY_OUTSIDE'
  | 'IMAGE_INVALID' | 'IMAGE_REFERENCE_INVALID'
  | 'INCLUDE_PACKAGE_NOT_FOUND'
  | 'INVALID_SOURCE_DATE_EPOCH'
  | 'LIB_NOT_FOUND' | 'LIB_SYMLINK_LOOP'
  | 'LOAD_FAILED' | 'LOAD_NO_ENGINE' | 'LOAD_NO_IMAGE'
  | 'LOCKFILE_INVALID'
  | 'MIGRATIONS_DIR_NOT_A_DIRECTORY' | 'MIGRATIONS_DIR_NOT_FOUND'
  | 'MIGRATION_MARKER_MISPLACED' | 'MIGRATION_MARKER_UNKNOWN' | 'MIGRATION_NAME_INVALID' | 'MIGRATION_NOT_UTF8' | 'MIGRATION_NO_TRANSACTION_MULTIPLE_STATEMENTS' | 'MIGRATION_TRANSACTION_CONTROL' | 'MIGRATION_UNREADABLE' | 'MIGRATION_VERSION_DUPLICATE'
  | 'NATIVE_ADDON_ABI_MISMATCH' | 'NATIVE_ADDON_INVALID'
  | 'NODE_ALREADY_INJECTED' | 'NODE_NOT_ELF' | 'NODE_NOT_FOUND' | 'NODE_NOT_RUNNABLE' | 'NODE_PACKAGE_FETCH_FAILED' | 'NODE_PACKAGE_INVALID' | 'NODE_PACKAGE_NOT_FOUND' | 'NODE_TOO_OLD' | 'NODE_VERSION_MISMATCH' | 'NODE_WRONG_MACHINE'
  | 'NO_PACKAGE_JSON'
  | 'OUTPUT_EXISTS' | 'OUTPUT_NOT_WRITABLE' | 'OUTPUT_NO_SPACE' | 'OUTPUT_PUBLISH_FAILED'
  | 'PACKAGE_NAME_MISSING'
  | 'PLATFORM_HOST_UNSUPPORTED' | 'PLATFORM_PACKAGE_MISMATCH' | 'PLATFORM_PACKAGES_FAILED' | 'PLATFORM_UNKNOWN'
  | 'PUSH_NO_REFERENCE'
  | 'REGISTRY_PUSH_FAILED' | 'REGISTRY_UNAUTHORIZED' | 'REGISTRY_UNREACHABLE'
  | 'REPORT_INVALID' | 'REPORT_NOT_FOUND' | 'REPORT_SCHEMA_UNSUPPORTED'
  | 'RESOLVE_FILE_NOT_FOUND' | 'RESOLVE_NOT_AN_APP' | 'RESOLVE_NOT_KUBERNETES' | 'RESOLVE_YAML_INVALID'
  | 'ROOTFS_CONFLICT' | 'ROOTFS_PATH_INVALID' | 'ROOTFS_SOURCE_CHANGED' | 'ROOTFS_SOURCE_UNREADABLE'
  | 'SEA_CHECK_FAILED' | 'SEA_TOOL_FAILED'
  | 'SOURCE_DATE_EPOCH_INVALID'
  | 'STRIP_FAILED'
  | 'SYSROOT_FAILED' | 'SYSROOT_NO_APT' | 'SYSROOT_NO_PACKAGES'
  | 'TRACE_COMMAND_FAILED' | 'TRACE_CONFIG_NOT_JSON'
  | 'USAGE'
  | 'VERIFY_BOOT_FAILED' | 'VERIFY_FAILED' | 'VERIFY_MISSING_LIBRARY' | 'VERIFY_NO_EMULATOR' | 'VERIFY_NO_ENTRYPOINT' | 'VERIFY_SERVER_UNREACHABLE' | 'VERIFY_UNAVAILABLE'
  | 'ZSTD_UNAVAILABLE';

/** Data every user-facing failure carries; the CLI prints `message` and `fix`, never a stack (unless --debug). */
export interface SeabuildErrorInit {
  /** Stable machine-readable code, e.g. `ENTRY_NOT_FOUND`; tests assert on it, not on prose. */
  code: ErrorCode;
  message: string;
  /** The file the user should look at. */
  file?: string;
  /** 1-based line in `file`, when known. */
  line?: number;
  /** One sentence telling the user what to do. */
  fix?: string;
  cause?: unknown;
  /** 2 for command-line usage errors, 1 otherwise. */
  exitCode?: 1 | 2;
}

/** The error type every seabuild stage throws for bad input or a failed tool. */
export class SeabuildError extends Error {
  readonly code: ErrorCode;
  readonly file: string | undefined;
  readonly line: number | undefined;
  readonly fix: string | undefined;
  readonly exitCode: 1 | 2;

  constructor(init: SeabuildErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = 'SeabuildError';
    this.code = init.code;
    this.file = init.file;
    this.line = init.line;
    this.fix = init.fix;
    this.exitCode = init.exitCode ?? 1;
  }
}

/** A warning a stage returns beside its artifact (never printed by the stage itself). */
export interface Warning {
  code: string;
  message: string;
  file?: string;
  line?: number;
  fix?: string;
}

/** Formats an error for the terminal: `file:line: message` then `  fix: …`. */
export function formatError(error: SeabuildError): string {
  const where = error.file ? `${error.file}${error.line ? `:${error.line}` : ''}: ` : '';
  const fix = error.fix ? `\n  fix: ${error.fix}` : '';
  return `seabuild: error: ${where}${error.message}${fix}`;
}

/** Formats a warning the same way as an error. */
export function formatWarning(warning: Warning): string {
  const where = warning.file ? `${warning.file}${warning.line ? `:${warning.line}` : ''}: ` : '';
  const fix = warning.fix ? `\n  fix: ${warning.fix}` : '';
  return `seabuild: warning: ${where}${warning.message}${fix}`;
}

/** A command-line usage error (exit code 2): what was wrong with the arguments, and what to run instead. */
export function usageError(message: string, fix: string): SeabuildError {
  return new SeabuildError({ code: 'USAGE', message, fix, exitCode: 2 });
}
