// Tar member headers for the layer writer (layer-tar.ts), byte for byte what tar-stream 3 writes for
// the same member (pack.js `_encode`, headers.js `encode`/`encodePax`), so that layers keep their
// digests: a POSIX ustar header (name split into prefix/name when it is ASCII and fits), else a PAX
// extended header carrying `path`/`linkpath`, its data, and a ustar header named `PaxHeader`.
// The layer writer reads file bodies straight into its compression blocks, and the archive writer
// copies them through one reused buffer, which tar-stream's stream of fresh chunks cannot do;
// tar-stream still reads tars (tar-read.ts: `seabuild verify`, the tests).

/** What a layer member's header says. */
export interface TarMember {
  name: string;
  type: 'file' | 'directory' | 'symlink';
  mode: number;
  uid: number;
  gid: number;
  /** Body bytes (files only). */
  size: number;
  /** Seconds since 1970. */
  mtime: number;
  linkname?: string;
}

export const TAR_RECORD_BYTES = 512;
/** The end of an archive: two zero records. */
export const TAR_END = Buffer.alloc(2 * TAR_RECORD_BYTES);

const TYPEFLAGS = { file: 0, symlink: 2, directory: 5, 'pax-header': 72 } as const;

interface HeaderFields {
  name: string;
  type: keyof typeof TYPEFLAGS;
  mode: number;
  uid: number;
  gid: number;
  size: number;
  mtime: number;
  linkname?: string | undefined;
}

/** The header records of `member`: 512 bytes, or 1024 + the padded PAX data. */
export function encodeTarHeader(member: TarMember): Buffer {
  // tar-stream's defaults (pack.js `entry`): no size but for files, mode 0 means the type's default.
  const fields: HeaderFields = {
    ...member,
    size: member.type === 'file' ? member.size : 0,
    mode: member.mode || (member.type === 'directory' ? 0o755 : 0o644),
  };
  return encodeUstar(fields) ?? encodeWithPax(fields);
}

/** The zero bytes that pad a body of `size` bytes to a whole record. */
export function tarPadding(size: number): Buffer {
  const rest = size % TAR_RECORD_BYTES;
  return rest === 0 ? Buffer.alloc(0) : TAR_END.subarray(0, TAR_RECORD_BYTES - rest);
}

function encodeWithPax(fields: HeaderFields): Buffer {
  let text = addLength(` path=${fields.name}\n`);
  if (fields.linkname) text += addLength(` linkpath=${fields.linkname}\n`);
  const pax = Buffer.from(text);
  const named = { ...fields, name: 'PaxHeader', linkname: fields.linkname && 'PaxHeader' };
  return Buffer.concat([
    encodeUstar({ ...named, type: 'pax-header', size: pax.byteLength })!,
    pax,
    tarPadding(pax.byteLength),
    encodeUstar(named)!,
  ]);
}

/** A ustar header, or undefined when the name or link does not fit one (headers.js `encode`). */
function encodeUstar(fields: HeaderFields): Buffer | undefined {
  let name = fields.name;
  let prefix = '';
  if (Buffer.byteLength(name) !== name.length) return undefined;
  while (name.length > 100) {
    const slash = name.indexOf('/');
    if (slash === -1) return undefined;
    prefix += prefix ? `/${name.slice(0, slash)}` : name.slice(0, slash);
    name = name.slice(slash + 1);
  }
  if (prefix.length > 155) return undefined;
  if (fields.linkname && Buffer.byteLength(fields.linkname) > 100) return undefined;
  const header = Buffer.alloc(TAR_RECORD_BYTES);
  header.write(name, 0);
  header.write(octal(fields.mode & 0o7777, 6), 100);
  header.write(octal(fields.uid, 6), 108);
  header.write(octal(fields.gid, 6), 116);
  writeSize(header, fields.size, 124);
  header.write(octal(fields.mtime | 0, 11), 136);
  header[156] = 0x30 + TYPEFLAGS[fields.type];
  if (fields.linkname) header.write(fields.linkname, 157);
  header.write('ustar\u000000', 257, 'latin1');
  header.write(octal(0, 6), 329);
  header.write(octal(0, 6), 337);
  if (prefix) header.write(prefix, 345);
  header.write(octal(checksum(header), 6), 148);
  return header;
}

/** `n` octal digits and a space; all sevens when the value does not fit (headers.js `encodeOct`). */
function octal(value: number, digits: number): string {
  const text = value.toString(8);
  return text.length > digits ? `${'7'.repeat(digits)} ` : `${text.padStart(digits, '0')} `;
}

/** Sizes of 8 GiB and more are written base-256, as GNU tar and tar-stream do. */
function writeSize(header: Buffer, size: number, at: number): void {
  if (size.toString(8).length <= 11) {
    header.write(octal(size, 11), at);
    return;
  }
  header[at] = 0x80;
  let rest = size;
  for (let i = 11; i > 0; i--) {
    header[at + i] = rest & 0xff;
    rest = Math.floor(rest / 0x100);
  }
}

/** The header's byte sum with the checksum field counted as eight spaces. */
function checksum(header: Buffer): number {
  let sum = 8 * 32;
  for (let i = 0; i < 148; i++) sum += header[i]!;
  for (let i = 156; i < TAR_RECORD_BYTES; i++) sum += header[i]!;
  return sum;
}

/** A PAX record: its own length in decimal, then the text (headers.js `addLength`). */
function addLength(text: string): string {
  const length = Buffer.byteLength(text);
  let digits = Math.floor(Math.log(length) / Math.log(10)) + 1;
  if (length + digits >= Math.pow(10, digits)) digits++;
  return `${length + digits}${text}`;
}
