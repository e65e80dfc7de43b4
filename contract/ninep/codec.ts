// 9P2000 and 9P2000.L frame codec. Messages are declared once as field lists
// (MESSAGES below); one generic encoder and one generic decoder walk those lists,
// so every message gets the same bounds checks: a decoder never reads past the
// frame, and every size, string and count is checked before it is trusted.
//
// Frame: size[4] type[1] tag[2] body, little-endian; size counts itself.
import { NinepProtocolError } from './errors.ts';

export type Dialect = '9P2000' | '9P2000.L';

export const NOTAG = 0xffff;
export const NOFID = 0xffffffff;
export const MAX_WELEM = 16;
export const HEADER_SIZE = 7;
/** bytes of an Rread/Twrite frame that are not data: size type tag count (+fid offset for Twrite) */
export const IOHDRSZ = 24;

export interface Qid {
  type: number;
  version: number;
  path: bigint;
}

/** A 9P2000 stat record (stat(5)). */
export interface Stat {
  type: number;
  dev: number;
  qid: Qid;
  mode: number;
  atime: number;
  mtime: number;
  length: bigint;
  name: string;
  uid: string;
  gid: string;
  muid: string;
}

type FieldKind = 'u8' | 'u16' | 'u32' | 'u64' | 's' | 'qid' | 'wnames' | 'qids' | 'data' | 'stat';
type FieldValue<K extends FieldKind> = K extends 'u8' | 'u16' | 'u32'
  ? number
  : K extends 'u64'
    ? bigint
    : K extends 's'
      ? string
      : K extends 'qid'
        ? Qid
        : K extends 'wnames'
          ? string[]
          : K extends 'qids'
            ? Qid[]
            : K extends 'data'
              ? Uint8Array
              : K extends 'stat'
                ? Stat
                : never;

const F = <N extends string, K extends FieldKind>(name: N, kind: K) => [name, kind] as const;

const fid = F('fid', 'u32');
const qid = F('qid', 'qid');
const iounit = F('iounit', 'u32');

// Messages common to both dialects.
const BASE = {
  Tversion: { id: 100, fields: [F('msize', 'u32'), F('version', 's')] },
  Rversion: { id: 101, fields: [F('msize', 'u32'), F('version', 's')] },
  Tauth: { id: 102, fields: [F('afid', 'u32'), F('uname', 's'), F('aname', 's')] },
  Rauth: { id: 103, fields: [F('aqid', 'qid')] },
  Tattach: { id: 104, fields: [fid, F('afid', 'u32'), F('uname', 's'), F('aname', 's')] },
  Rattach: { id: 105, fields: [qid] },
  Tflush: { id: 108, fields: [F('oldtag', 'u16')] },
  Rflush: { id: 109, fields: [] },
  Twalk: { id: 110, fields: [fid, F('newfid', 'u32'), F('wnames', 'wnames')] },
  Rwalk: { id: 111, fields: [F('qids', 'qids')] },
  Tread: { id: 116, fields: [fid, F('offset', 'u64'), F('count', 'u32')] },
  Rread: { id: 117, fields: [F('data', 'data')] },
  Twrite: { id: 118, fields: [fid, F('offset', 'u64'), F('data', 'data')] },
  Rwrite: { id: 119, fields: [F('count', 'u32')] },
  Tclunk: { id: 120, fields: [fid] },
  Rclunk: { id: 121, fields: [] },
  Tremove: { id: 122, fields: [fid] },
  Rremove: { id: 123, fields: [] },
} as const;

// 9P2000 only (the Plan 9 / Secure9P dialect).
const P9 = {
  Rerror: { id: 107, fields: [F('ename', 's')] },
  Topen: { id: 112, fields: [fid, F('mode', 'u8')] },
  Ropen: { id: 113, fields: [qid, iounit] },
  Tcreate: { id: 114, fields: [fid, F('name', 's'), F('perm', 'u32'), F('mode', 'u8')] },
  Rcreate: { id: 115, fields: [qid, iounit] },
  Tstat: { id: 124, fields: [fid] },
  Rstat: { id: 125, fields: [F('stat', 'stat')] },
  Twstat: { id: 126, fields: [fid, F('stat', 'stat')] },
  Rwstat: { id: 127, fields: [] },
} as const;

const u64 = <N extends string>(n: N) => F(n, 'u64');

// 9P2000.L only (Linux v9fs, diod). Tattach/Tauth carry n_uname in this dialect.
const DOTL = {
  TattachL: {
    id: 104,
    fields: [fid, F('afid', 'u32'), F('uname', 's'), F('aname', 's'), F('nUname', 'u32')],
  },
  TauthL: { id: 102, fields: [F('afid', 'u32'), F('uname', 's'), F('aname', 's'), F('nUname', 'u32')] },
  Rlerror: { id: 7, fields: [F('ecode', 'u32')] },
  Tstatfs: { id: 8, fields: [fid] },
  Rstatfs: {
    id: 9,
    fields: [
      F('fsType', 'u32'),
      F('bsize', 'u32'),
      u64('blocks'),
      u64('bfree'),
      u64('bavail'),
      u64('files'),
      u64('ffree'),
      u64('fsid'),
      F('namelen', 'u32'),
    ],
  },
  Tlopen: { id: 12, fields: [fid, F('flags', 'u32')] },
  Rlopen: { id: 13, fields: [qid, iounit] },
  Tlcreate: { id: 14, fields: [fid, F('name', 's'), F('flags', 'u32'), F('mode', 'u32'), F('gid', 'u32')] },
  Rlcreate: { id: 15, fields: [qid, iounit] },
  Tsymlink: { id: 16, fields: [fid, F('name', 's'), F('symtgt', 's'), F('gid', 'u32')] },
  Rsymlink: { id: 17, fields: [qid] },
  Treadlink: { id: 22, fields: [fid] },
  Rreadlink: { id: 23, fields: [F('target', 's')] },
  Tgetattr: { id: 24, fields: [fid, u64('requestMask')] },
  Rgetattr: {
    id: 25,
    fields: [
      u64('valid'),
      qid,
      F('mode', 'u32'),
      F('uid', 'u32'),
      F('gid', 'u32'),
      u64('nlink'),
      u64('rdev'),
      u64('size'),
      u64('blksize'),
      u64('blocks'),
      u64('atimeSec'),
      u64('atimeNsec'),
      u64('mtimeSec'),
      u64('mtimeNsec'),
      u64('ctimeSec'),
      u64('ctimeNsec'),
      u64('btimeSec'),
      u64('btimeNsec'),
      u64('gen'),
      u64('dataVersion'),
    ],
  },
  Tsetattr: {
    id: 26,
    fields: [
      fid,
      F('valid', 'u32'),
      F('mode', 'u32'),
      F('uid', 'u32'),
      F('gid', 'u32'),
      u64('size'),
      u64('atimeSec'),
      u64('atimeNsec'),
      u64('mtimeSec'),
      u64('mtimeNsec'),
    ],
  },
  Rsetattr: { id: 27, fields: [] },
  Treaddir: { id: 40, fields: [fid, u64('offset'), F('count', 'u32')] },
  Rreaddir: { id: 41, fields: [F('data', 'data')] },
  Tfsync: { id: 50, fields: [fid, F('datasync', 'u32')] },
  Rfsync: { id: 51, fields: [] },
  Tmkdir: { id: 72, fields: [F('dfid', 'u32'), F('name', 's'), F('mode', 'u32'), F('gid', 'u32')] },
  Rmkdir: { id: 73, fields: [qid] },
  Trenameat: {
    id: 74,
    fields: [F('olddirfid', 'u32'), F('oldname', 's'), F('newdirfid', 'u32'), F('newname', 's')],
  },
  Rrenameat: { id: 75, fields: [] },
  Tunlinkat: { id: 76, fields: [F('dirfd', 'u32'), F('name', 's'), F('flags', 'u32')] },
  Runlinkat: { id: 77, fields: [] },
} as const;

export const MESSAGES = { ...BASE, ...P9, ...DOTL } as const;
type Specs = typeof MESSAGES;
export type MessageType = keyof Specs;

type Body<N extends MessageType> = {
  -readonly [Fd in Specs[N]['fields'][number] as Fd[0]]: FieldValue<Fd[1]>;
};
export type MessageOf<N extends MessageType> = { type: N; tag: number } & Body<N>;
export type Message = { [N in MessageType]: MessageOf<N> }[MessageType];

interface Spec {
  id: number;
  fields: ReadonlyArray<readonly [string, FieldKind]>;
}

function table(names: readonly MessageType[]): Map<number, MessageType> {
  const m = new Map<number, MessageType>();
  for (const n of names) m.set(MESSAGES[n].id, n);
  return m;
}

const BASE_NAMES = Object.keys(BASE) as MessageType[];
/** type byte -> message name, per dialect (Tattach differs between them) */
export const BY_ID: Record<Dialect, Map<number, MessageType>> = {
  '9P2000': table([...BASE_NAMES, ...(Object.keys(P9) as MessageType[])]),
  '9P2000.L': table([
    ...BASE_NAMES.filter((n) => n !== 'Tattach' && n !== 'Tauth'),
    ...(Object.keys(DOTL) as MessageType[]),
  ]),
};

/** The request/reply name printed in errors and transcripts (TattachL -> Tattach). */
export function wireName(t: MessageType): string {
  return t.endsWith('L') && (t === 'TattachL' || t === 'TauthL') ? t.slice(0, -1) : t;
}

/** Is this message a request (T-message)? */
export function isRequest(t: MessageType): boolean {
  return t.startsWith('T');
}

/** The reply type a request expects, e.g. Twalk -> Rwalk. */
export function replyTypeOf(t: MessageType): MessageType {
  const base = wireName(t);
  return ('R' + base.slice(1)) as MessageType;
}

// ---------------------------------------------------------------- encoding

const utf8 = new TextEncoder();
const utf8Strict = new TextDecoder('utf-8', { fatal: true });

function statSize(s: Stat): number {
  // size[2] is not counted in itself
  return (
    2 +
    4 +
    13 +
    4 +
    4 +
    4 +
    8 +
    [s.name, s.uid, s.gid, s.muid].reduce((n, x) => n + 2 + utf8.encode(x).length, 0)
  );
}

class Writer {
  private buf: Buffer;
  pos = 0;
  constructor(size: number) {
    this.buf = Buffer.allocUnsafe(size);
  }
  private room(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.pos + n));
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }
  u8(v: number): void {
    this.room(1);
    this.buf.writeUInt8(v, this.pos);
    this.pos += 1;
  }
  u16(v: number): void {
    this.room(2);
    this.buf.writeUInt16LE(v, this.pos);
    this.pos += 2;
  }
  u32(v: number): void {
    this.room(4);
    this.buf.writeUInt32LE(v, this.pos);
    this.pos += 4;
  }
  u64(v: bigint): void {
    this.room(8);
    this.buf.writeBigUInt64LE(v, this.pos);
    this.pos += 8;
  }
  bytes(b: Uint8Array): void {
    this.room(b.length);
    this.buf.set(b, this.pos);
    this.pos += b.length;
  }
  str(s: string): void {
    const b = utf8.encode(s);
    if (b.length > 0xffff)
      throw new NinepProtocolError('encode', `string of ${b.length} bytes does not fit a 9P string`);
    this.u16(b.length);
    this.bytes(b);
  }
  qid(q: Qid): void {
    this.u8(q.type);
    this.u32(q.version);
    this.u64(q.path);
  }
  stat(s: Stat): void {
    const size = statSize(s);
    this.u16(size);
    this.u16(s.type);
    this.u32(s.dev);
    this.qid(s.qid);
    this.u32(s.mode);
    this.u32(s.atime);
    this.u32(s.mtime);
    this.u64(s.length);
    this.str(s.name);
    this.str(s.uid);
    this.str(s.gid);
    this.str(s.muid);
  }
  done(): Buffer {
    return this.buf.subarray(0, this.pos);
  }
}

function writeField(w: Writer, kind: FieldKind, v: unknown, name: string): void {
  switch (kind) {
    case 'u8':
      return w.u8(v as number);
    case 'u16':
      return w.u16(v as number);
    case 'u32':
      return w.u32(v as number);
    case 'u64':
      return w.u64(v as bigint);
    case 's':
      return w.str(v as string);
    case 'qid':
      return w.qid(v as Qid);
    case 'wnames': {
      const names = v as string[];
      if (names.length > 0xffff) throw new NinepProtocolError('encode', `${name}: ${names.length} elements`);
      w.u16(names.length);
      for (const n of names) w.str(n);
      return;
    }
    case 'qids': {
      const qs = v as Qid[];
      w.u16(qs.length);
      for (const q of qs) w.qid(q);
      return;
    }
    case 'data': {
      const d = v as Uint8Array;
      w.u32(d.length);
      w.bytes(d);
      return;
    }
    case 'stat': {
      const s = v as Stat;
      const inner = statSize(s) + 2;
      w.u16(inner);
      w.stat(s);
      return;
    }
  }
}

/** Encode one message into a complete frame. Throws NinepProtocolError('encode') for unencodable values. */
export function encode(msg: Message): Buffer {
  const spec = MESSAGES[msg.type] as Spec | undefined;
  if (!spec)
    throw new NinepProtocolError('encode', `unknown message type ${String((msg as { type: unknown }).type)}`);
  const data = (msg as { data?: Uint8Array }).data;
  const w = new Writer(64 + (data ? data.length : 0));
  w.u32(0);
  w.u8(spec.id);
  w.u16(msg.tag);
  const rec = msg as unknown as Record<string, unknown>;
  try {
    for (const [name, kind] of spec.fields) {
      const v = rec[name];
      if (v === undefined) throw new NinepProtocolError('encode', `${msg.type}.${name} is missing`);
      writeField(w, kind, v, name);
    }
  } catch (e) {
    if (e instanceof NinepProtocolError) throw e;
    throw new NinepProtocolError('encode', `${msg.type}: ${(e as Error).message}`);
  }
  const out = w.done();
  out.writeUInt32LE(out.length, 0);
  return out;
}

/** Encode a raw frame from a type byte and body (used by hostile-input tests). */
export function rawFrame(typeByte: number, tag: number, body: Uint8Array = new Uint8Array(0)): Buffer {
  const b = Buffer.alloc(HEADER_SIZE + body.length);
  b.writeUInt32LE(b.length, 0);
  b.writeUInt8(typeByte, 4);
  b.writeUInt16LE(tag, 5);
  b.set(body, HEADER_SIZE);
  return b;
}

// ---------------------------------------------------------------- decoding

/** A bounds-checked cursor over one frame. Every read checks the remaining length first. */
export class Reader {
  pos: number;
  constructor(
    private readonly buf: Buffer,
    start = 0,
    private readonly end = buf.length,
    private readonly where = 'frame',
  ) {
    this.pos = start;
  }
  get remaining(): number {
    return this.end - this.pos;
  }
  private need(n: number, what: string): void {
    if (this.pos + n > this.end) {
      throw new NinepProtocolError(
        'truncated',
        `${this.where}: ${what} needs ${n} bytes at offset ${this.pos}, only ${this.end - this.pos} left`,
      );
    }
  }
  u8(what = 'u8'): number {
    this.need(1, what);
    return this.buf.readUInt8(this.pos++);
  }
  u16(what = 'u16'): number {
    this.need(2, what);
    const v = this.buf.readUInt16LE(this.pos);
    this.pos += 2;
    return v;
  }
  u32(what = 'u32'): number {
    this.need(4, what);
    const v = this.buf.readUInt32LE(this.pos);
    this.pos += 4;
    return v;
  }
  u64(what = 'u64'): bigint {
    this.need(8, what);
    const v = this.buf.readBigUInt64LE(this.pos);
    this.pos += 8;
    return v;
  }
  bytes(n: number, what = 'bytes'): Buffer {
    this.need(n, what);
    const b = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return b;
  }
  str(what = 'string'): string {
    const len = this.u16(`${what} length`);
    if (this.pos + len > this.end) {
      throw new NinepProtocolError(
        'bad-string',
        `${this.where}: ${what} claims ${len} bytes, only ${this.end - this.pos} left`,
      );
    }
    const b = this.bytes(len, what);
    try {
      return utf8Strict.decode(b);
    } catch {
      throw new NinepProtocolError('bad-string', `${this.where}: ${what} is not valid UTF-8`);
    }
  }
  qid(what = 'qid'): Qid {
    this.need(13, what);
    return { type: this.u8(), version: this.u32(), path: this.u64() };
  }
  /** A stat record whose leading size[2] must match exactly what it holds. */
  stat(what = 'stat'): Stat {
    const size = this.u16(`${what} size`);
    if (size > this.remaining) {
      throw new NinepProtocolError(
        'bad-count',
        `${this.where}: ${what} size ${size} exceeds the ${this.remaining} bytes left`,
      );
    }
    const end = this.pos + size;
    const r = new Reader(this.buf, this.pos, end, `${this.where} ${what}`);
    const s: Stat = {
      type: r.u16('type'),
      dev: r.u32('dev'),
      qid: r.qid('qid'),
      mode: r.u32('mode'),
      atime: r.u32('atime'),
      mtime: r.u32('mtime'),
      length: r.u64('length'),
      name: r.str('name'),
      uid: r.str('uid'),
      gid: r.str('gid'),
      muid: r.str('muid'),
    };
    if (r.pos !== end)
      throw new NinepProtocolError(
        'bad-count',
        `${this.where}: ${what} size ${size} but its fields use ${r.pos - this.pos}`,
      );
    this.pos = end;
    return s;
  }
}

function readField(r: Reader, kind: FieldKind, name: string, type: MessageType): unknown {
  switch (kind) {
    case 'u8':
      return r.u8(name);
    case 'u16':
      return r.u16(name);
    case 'u32':
      return r.u32(name);
    case 'u64':
      return r.u64(name);
    case 's':
      return r.str(name);
    case 'qid':
      return r.qid(name);
    case 'wnames': {
      const n = r.u16('nwname');
      if (n > MAX_WELEM)
        throw new NinepProtocolError('bad-count', `${type}: nwname ${n} exceeds ${MAX_WELEM}`);
      const out: string[] = [];
      for (let i = 0; i < n; i++) out.push(r.str(`wname[${i}]`));
      return out;
    }
    case 'qids': {
      const n = r.u16('nwqid');
      if (n > MAX_WELEM)
        throw new NinepProtocolError('bad-count', `${type}: nwqid ${n} exceeds ${MAX_WELEM}`);
      if (n * 13 > r.remaining)
        throw new NinepProtocolError(
          'bad-count',
          `${type}: nwqid ${n} needs ${n * 13} bytes, ${r.remaining} left`,
        );
      const out: Qid[] = [];
      for (let i = 0; i < n; i++) out.push(r.qid(`wqid[${i}]`));
      return out;
    }
    case 'data': {
      const n = r.u32('count');
      if (n !== r.remaining)
        throw new NinepProtocolError('bad-count', `${type}: count ${n} but ${r.remaining} data bytes follow`);
      return r.bytes(n, 'data');
    }
    case 'stat': {
      const n = r.u16('stat length');
      if (n !== r.remaining)
        throw new NinepProtocolError(
          'bad-count',
          `${type}: stat length ${n} but ${r.remaining} bytes follow`,
        );
      return r.stat();
    }
  }
}

/** Read the header of a complete frame; checks the size field against the buffer. */
export function peekHeader(frame: Buffer): { size: number; typeByte: number; tag: number } {
  if (frame.length < HEADER_SIZE)
    throw new NinepProtocolError(
      'short-frame',
      `frame of ${frame.length} bytes is shorter than the 7-byte header`,
    );
  const size = frame.readUInt32LE(0);
  if (size !== frame.length)
    throw new NinepProtocolError('bad-size', `size field says ${size}, frame has ${frame.length} bytes`);
  return { size, typeByte: frame.readUInt8(4), tag: frame.readUInt16LE(5) };
}

/**
 * Decode one complete frame (exactly `size` bytes). Never reads past it; rejects an unknown
 * type byte, any truncated field, an invalid string, a bad count and trailing bytes.
 */
export function decode(frame: Buffer, dialect: Dialect): Message {
  const { typeByte, tag } = peekHeader(frame);
  const type = BY_ID[dialect].get(typeByte);
  if (!type)
    throw new NinepProtocolError('unknown-type', `type byte ${typeByte} is not a ${dialect} message`);
  const spec = MESSAGES[type] as Spec;
  const r = new Reader(frame, HEADER_SIZE, frame.length, wireName(type));
  const msg: Record<string, unknown> = { type, tag };
  for (const [name, kind] of spec.fields) msg[name] = readField(r, kind, name, type);
  if (r.remaining !== 0)
    throw new NinepProtocolError(
      'trailing-bytes',
      `${wireName(type)}: ${r.remaining} bytes after the last field`,
    );
  return msg as unknown as Message;
}

/** Split the data of a 9P2000 directory read into stat records. */
export function decodeStats(data: Uint8Array): Stat[] {
  const buf = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  const r = new Reader(buf, 0, buf.length, 'directory data');
  const out: Stat[] = [];
  while (r.remaining > 0) out.push(r.stat());
  return out;
}

/** Encode stat records as a 9P2000 directory read returns them. */
export function encodeStats(stats: readonly Stat[]): Buffer {
  const w = new Writer(256);
  for (const s of stats) w.stat(s);
  return Buffer.from(w.done());
}

export interface Dirent {
  qid: Qid;
  offset: bigint;
  type: number;
  name: string;
}

/** Split the data of an Rreaddir into entries: qid[13] offset[8] type[1] name[s]. */
export function decodeDirents(data: Uint8Array): Dirent[] {
  const buf = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  const r = new Reader(buf, 0, buf.length, 'readdir data');
  const out: Dirent[] = [];
  while (r.remaining > 0)
    out.push({ qid: r.qid('qid'), offset: r.u64('offset'), type: r.u8('type'), name: r.str('name') });
  return out;
}

export function encodeDirents(ents: readonly Dirent[]): Buffer {
  const w = new Writer(256);
  for (const e of ents) {
    w.qid(e.qid);
    w.u64(e.offset);
    w.u8(e.type);
    w.str(e.name);
  }
  return Buffer.from(w.done());
}

/** One-line human summary of a message for transcripts (no data bytes). */
export function summarize(m: Message): string {
  // the messages of a bulk transfer, summarized without the generic walk over their fields
  // (this runs for every frame sent and received)
  const tag = m.tag === NOTAG ? 'NOTAG' : m.tag;
  switch (m.type) {
    case 'Tread':
      return `Tread tag=${tag} fid=${m.fid} offset=${m.offset} count=${m.count}`;
    case 'Rread':
      return `Rread tag=${tag} data=<${m.data.length} bytes>`;
    case 'Rwrite':
      return `Rwrite tag=${tag} count=${m.count}`;
  }
  const parts: string[] = [];
  for (const [k, v] of Object.entries(m)) {
    if (k === 'type' || k === 'tag') continue;
    if (v instanceof Uint8Array) parts.push(`${k}=<${v.length} bytes>`);
    else if (typeof v === 'bigint') parts.push(`${k}=${v}`);
    else if (Array.isArray(v))
      parts.push(
        `${k}=[${v.map((x) => (typeof x === 'object' ? qidText(x as Qid) : JSON.stringify(x))).join(',')}]`,
      );
    else if (v && typeof v === 'object' && 'path' in v) parts.push(`${k}=${qidText(v as Qid)}`);
    else if (v && typeof v === 'object') parts.push(`${k}={name=${JSON.stringify((v as Stat).name)}}`);
    else parts.push(`${k}=${JSON.stringify(v)}`);
  }
  return `${wireName(m.type)} tag=${tag}${parts.length ? ' ' + parts.join(' ') : ''}`;
}

function qidText(q: Qid): string {
  return `(${q.path.toString(16)} ${q.version} ${q.type.toString(16)})`;
}

/** Qid type bits. */
export const QTDIR = 0x80;
export const QTFILE = 0x00;
/** Mode bit of a directory in a stat. */
export const DMDIR = 0x80000000;
/** Topen modes. */
export const OREAD = 0;
export const OWRITE = 1;
export const ORDWR = 2;
export const OTRUNC = 0x10;
