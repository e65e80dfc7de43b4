// A reader for CPIO "newc" archives (magic 070701, or 070702 with checksums),
// the format of a release's image/cohesix-system.cpio. It indexes the headers
// and names only, with positional reads, and streams an entry's data through a
// fixed buffer when it is hashed: a size the archive claims is checked against
// the file's real size before anything is read for it, so a hostile or
// truncated archive is a typed error naming the byte offset, never a huge
// allocation or a read past the end.
import { createHash } from 'node:crypto';
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

/** magic (6) + 13 eight-digit hex fields */
export const NEWC_HEADER_BYTES = 110;
/** longer names are refused: the kernel's own unpacker stops at PATH_MAX */
export const MAX_NAME_BYTES = 4096;
const TRAILER = 'TRAILER!!!';
const CHUNK = 64 * 1024;

const FIELDS = [
  'ino',
  'mode',
  'uid',
  'gid',
  'nlink',
  'mtime',
  'filesize',
  'devmajor',
  'devminor',
  'rdevmajor',
  'rdevminor',
  'namesize',
  'check',
] as const;

export type CpioErrorKind = 'not-an-archive' | 'truncated' | 'malformed';

export class CpioError extends Error {
  constructor(
    readonly kind: CpioErrorKind,
    readonly file: string,
    /** byte offset in the archive where the problem is */
    readonly offset: number,
    readonly detail: string,
  ) {
    super(`${file}: ${kindText(kind)} at byte ${offset}: ${detail}`);
    this.name = 'CpioError';
  }

  /** the message without the file name, for reports that name the file themselves */
  get summary(): string {
    return `${kindText(this.kind)} at byte ${this.offset}: ${this.detail}`;
  }
}

function kindText(k: CpioErrorKind): string {
  return {
    'not-an-archive': 'not a CPIO newc archive',
    truncated: 'truncated archive',
    malformed: 'malformed archive',
  }[k];
}

export type CpioEntryType = 'file' | 'directory' | 'symlink' | 'other';

export interface CpioEntry {
  /** the name as stored (may start with ./) */
  name: string;
  /** the name without a leading ./ or /, as the manifest writes paths */
  path: string;
  type: CpioEntryType;
  mode: number;
  ino: number;
  nlink: number;
  devmajor: number;
  devminor: number;
  /** data bytes stored with this entry (0 for all but one member of a hard-link group) */
  size: number;
  headerOffset: number;
  dataOffset: number;
  /** the 070702 format's sum of the data bytes; undefined for 070701 */
  checksum?: number;
}

export interface EntryDigest {
  size: number;
  sha256: string;
}

const align4 = (n: number): number => (n + 3) & ~3;

export function normalizeCpioPath(name: string): string {
  return name.replace(/^(\.\/|\/)+/, '');
}

function typeOf(mode: number): CpioEntryType {
  switch (mode & 0o170000) {
    case 0o100000:
      return 'file';
    case 0o040000:
      return 'directory';
    case 0o120000:
      return 'symlink';
    default:
      return 'other';
  }
}

/** what the first bytes say, for a file that is not newc: the fix differs */
function notNewc(head: Buffer): string {
  const ascii = head.subarray(0, 6).toString('latin1');
  if (ascii === '070707')
    return 'it is an "odc" (portable ASCII) cpio archive; rebuild it with `cpio -o -H newc`';
  if (head.length >= 2 && (head.readUInt16LE(0) === 0o070707 || head.readUInt16BE(0) === 0o070707))
    return 'it is an old binary cpio archive; rebuild it with `cpio -o -H newc`';
  if (head[0] === 0x1f && head[1] === 0x8b) return 'it is gzip-compressed; decompress it first';
  return `it starts with ${JSON.stringify(ascii)}, not the newc magic "070701"`;
}

export class CpioArchive {
  private constructor(
    readonly file: string,
    readonly bytes: number,
    readonly entries: readonly CpioEntry[],
    private readonly byPath: ReadonlyMap<string, CpioEntry>,
  ) {}

  /** index the archive's headers; throws CpioError for anything that is not a complete newc archive */
  static open(file: string): CpioArchive {
    const fd = openSync(file, 'r');
    try {
      const bytes = fstatSync(fd).size;
      const entries = readIndex(fd, file, bytes);
      const byPath = new Map<string, CpioEntry>();
      // a later entry of the same name replaces an earlier one, as the kernel unpacks them
      for (const e of entries) byPath.set(e.path, e);
      return new CpioArchive(file, bytes, entries, byPath);
    } finally {
      closeSync(fd);
    }
  }

  /** the entry at `path` (leading ./ or / ignored); a hard link resolves to the member that holds the data */
  get(path: string): CpioEntry | undefined {
    const e = this.byPath.get(normalizeCpioPath(path));
    if (!e || e.type !== 'file' || e.size > 0 || e.nlink < 2) return e;
    const holder = this.entries.find(
      (o) =>
        o.type === 'file' &&
        o.size > 0 &&
        o.ino === e.ino &&
        o.devmajor === e.devmajor &&
        o.devminor === e.devminor,
    );
    return holder ? { ...e, size: holder.size, dataOffset: holder.dataOffset, checksum: holder.checksum } : e;
  }

  /** size and sha256 of an entry's data, read through a fixed buffer; a 070702 checksum is verified too */
  digest(entry: CpioEntry): EntryDigest {
    const hash = createHash('sha256');
    let sum = 0;
    this.readData(entry, (chunk) => {
      hash.update(chunk);
      if (entry.checksum !== undefined) for (const b of chunk) sum = (sum + b) >>> 0;
    });
    if (entry.checksum !== undefined && sum !== entry.checksum)
      throw new CpioError(
        'malformed',
        this.file,
        entry.headerOffset,
        `entry ${entry.path}: its data sums to ${sum}, the 070702 header says ${entry.checksum}`,
      );
    return { size: entry.size, sha256: hash.digest('hex') };
  }

  /** an entry's data, when it is at most `maxBytes` (small text files of the archive) */
  read(entry: CpioEntry, maxBytes: number): Buffer {
    if (entry.size > maxBytes)
      throw new CpioError(
        'malformed',
        this.file,
        entry.headerOffset,
        `entry ${entry.path} holds ${entry.size} bytes, more than the ${maxBytes} this reader takes`,
      );
    const parts: Buffer[] = [];
    this.readData(entry, (c) => parts.push(Buffer.from(c)));
    return Buffer.concat(parts);
  }

  private readData(entry: CpioEntry, onChunk: (chunk: Buffer) => void): void {
    const fd = openSync(this.file, 'r');
    try {
      const buf = Buffer.allocUnsafe(Math.min(CHUNK, Math.max(entry.size, 1)));
      let done = 0;
      while (done < entry.size) {
        const want = Math.min(buf.length, entry.size - done);
        const n = readSync(fd, buf, 0, want, entry.dataOffset + done);
        // the file shrank since it was indexed
        if (n === 0)
          throw new CpioError(
            'truncated',
            this.file,
            entry.dataOffset + done,
            `entry ${entry.path} ends early: ${done} of its ${entry.size} bytes are there`,
          );
        onChunk(buf.subarray(0, n));
        done += n;
      }
    } finally {
      closeSync(fd);
    }
  }
}

function readExactly(fd: number, length: number, position: number): Buffer {
  const buf = Buffer.alloc(length);
  let got = 0;
  while (got < length) {
    const n = readSync(fd, buf, got, length - got, position + got);
    if (n === 0) break;
    got += n;
  }
  return buf.subarray(0, got);
}

function readIndex(fd: number, file: string, bytes: number): CpioEntry[] {
  const entries: CpioEntry[] = [];
  let offset = 0;
  for (;;) {
    const where =
      entries.length === 0 ? 'the first header' : `the header after entry ${entries.at(-1)!.path}`;
    if (offset + NEWC_HEADER_BYTES > bytes) {
      if (offset === 0) {
        const head = readExactly(fd, Math.min(bytes, 6), 0);
        if (head.toString('latin1') !== '070701'.slice(0, head.length) || bytes === 0)
          throw new CpioError('not-an-archive', file, 0, bytes === 0 ? 'the file is empty' : notNewc(head));
      }
      throw new CpioError(
        'truncated',
        file,
        offset,
        offset >= bytes
          ? `the archive ends after ${entries.length} entries with no ${TRAILER} entry`
          : `${where} needs ${NEWC_HEADER_BYTES} bytes, the archive has ${bytes - offset} left`,
      );
    }
    const head = readExactly(fd, NEWC_HEADER_BYTES, offset);
    const magic = head.subarray(0, 6).toString('latin1');
    if (magic !== '070701' && magic !== '070702') {
      if (offset === 0) throw new CpioError('not-an-archive', file, 0, notNewc(head));
      throw new CpioError(
        'malformed',
        file,
        offset,
        `expected a newc header (070701) as ${where}, found ${JSON.stringify(magic)}`,
      );
    }
    const f = {} as Record<(typeof FIELDS)[number], number>;
    FIELDS.forEach((name, i) => {
      const text = head.subarray(6 + i * 8, 14 + i * 8).toString('latin1');
      if (!/^[0-9a-fA-F]{8}$/.test(text))
        throw new CpioError(
          'malformed',
          file,
          offset + 6 + i * 8,
          `header field ${name} is ${JSON.stringify(text)}, not 8 hex digits`,
        );
      f[name] = parseInt(text, 16);
    });
    if (f.namesize === 0 || f.namesize > MAX_NAME_BYTES)
      throw new CpioError(
        'malformed',
        file,
        offset,
        `name size ${f.namesize} is outside 1..${MAX_NAME_BYTES}`,
      );
    const nameAt = offset + NEWC_HEADER_BYTES;
    if (nameAt + f.namesize > bytes)
      throw new CpioError(
        'truncated',
        file,
        nameAt,
        `a name of ${f.namesize} bytes is claimed, the archive has ${bytes - nameAt} left`,
      );
    const rawName = readExactly(fd, f.namesize, nameAt);
    if (rawName[rawName.length - 1] !== 0)
      throw new CpioError('malformed', file, nameAt, 'the name is not NUL-terminated');
    const name = rawName.subarray(0, -1).toString('utf8');
    const dataOffset = align4(nameAt + f.namesize);
    if (name === TRAILER) return entries;
    if (dataOffset + f.filesize > bytes)
      throw new CpioError(
        'truncated',
        file,
        dataOffset,
        `entry ${normalizeCpioPath(name)} claims ${f.filesize} bytes of data, the archive has ${Math.max(0, bytes - dataOffset)} left`,
      );
    entries.push({
      name,
      path: normalizeCpioPath(name),
      type: typeOf(f.mode),
      mode: f.mode,
      ino: f.ino,
      nlink: f.nlink,
      devmajor: f.devmajor,
      devminor: f.devminor,
      size: f.filesize,
      headerOffset: offset,
      dataOffset,
      checksum: magic === '070702' ? f.check : undefined,
    });
    offset = align4(dataOffset + f.filesize);
  }
}
