// High-level file operations over an attached 9P client: walk a path, open,
// read or write a whole file, stat, list a directory, mkdir, remove. The
// dialect decides which messages are used (Topen/Tcreate/Tstat for 9P2000,
// Tlopen/Tlcreate/Tgetattr/Treaddir for 9P2000.L); callers see one API.
import { setMaxListeners } from 'node:events';
import type { NinepClient, RequestOptions } from './client.ts';
import {
  decodeDirents,
  decodeStats,
  IOHDRSZ,
  MAX_WELEM,
  NOFID,
  DMDIR,
  QTDIR,
  OREAD,
  OWRITE,
  ORDWR,
  OTRUNC,
  type MessageOf,
  type Qid,
} from './codec.ts';
import {
  NinepLimitError,
  NinepProtocolError,
  NinepRemoteError,
  NinepTimeoutError,
  NinepUsageError,
} from './errors.ts';
import { readWindow } from './read-window.ts';

export interface FileInfo {
  name: string;
  qid: Qid;
  isDir: boolean;
  length: bigint;
  /** permission bits (and DMDIR for 9P2000 directories) */
  mode: number;
}

export type OpenMode = 'r' | 'w' | 'rw';

/**
 * Options of an operation made of several requests. The per-request bound (timeoutMs) does not
 * stop a server that answers every request promptly but never lets the operation finish, so
 * the whole operation has its own bound as well.
 */
export interface OperationOptions extends RequestOptions {
  /** bound on the whole operation (all its requests), in ms. Default DEFAULT_DEADLINE_MS. */
  deadlineMs?: number;
}

/** Default whole-operation bound: far above any honest read of a capped file on loopback or LAN. */
export const DEFAULT_DEADLINE_MS = 120_000;
/** Default cap of a whole-file read (readFile/readAll) and of a directory listing's data. */
export const DEFAULT_MAX_BYTES = 64 * 1024 * 1024;

/** One directory listing in progress: where to read, and where entries and byte counts go. */
interface Listing {
  f: OpenFile;
  path: string;
  o: RequestOptions;
  add(info: FileInfo): void;
  count(bytes: number): void;
}

// signals created by bounded(): an operation nested in another (readFile -> open -> walk)
// runs under its parent's deadline instead of starting a fresh one
const deadlineSignals = new WeakSet<AbortSignal>();

export interface OpenFile {
  fid: number;
  qid: Qid;
  /** bytes per read/write; from the server's iounit, or msize - IOHDRSZ when it says 0 */
  iounit: number;
}

export interface AttachOptions extends RequestOptions {
  uname?: string;
  aname?: string;
  /** numeric uid for 9P2000.L's n_uname (default: this process's uid) */
  nUname?: number;
}

// Linux open flags used by Tlopen/Tlcreate
const L_RDONLY = 0;
const L_WRONLY = 1;
const L_RDWR = 2;
const L_CREAT = 0o100;
const L_TRUNC = 0o1000;
const L_DIRECTORY = 0o200000;
const GETATTR_BASIC = 0x7ffn;

/** Split "/a/b/c" into ["a","b","c"]; "." parts are dropped, ".." is kept (the server resolves it). */
export function splitPath(path: string): string[] {
  return path.split('/').filter((p) => p !== '' && p !== '.');
}

export class NinepFs {
  private constructor(
    readonly client: NinepClient,
    /** fid of the attach root; clunked by close() */
    readonly rootFid: number,
    readonly rootQid: Qid,
  ) {}

  static async attach(client: NinepClient, opts: AttachOptions = {}): Promise<NinepFs> {
    const fid = client.allocFid();
    const uname = opts.uname ?? 'nobody';
    const aname = opts.aname ?? '';
    const r =
      client.dialect === '9P2000.L'
        ? await client.rpc<'Rattach'>(
            {
              type: 'TattachL',
              fid,
              afid: NOFID,
              uname,
              aname,
              nUname: opts.nUname ?? process.getuid?.() ?? 0,
            },
            opts,
          )
        : await client.rpc<'Rattach'>({ type: 'Tattach', fid, afid: NOFID, uname, aname }, opts);
    return new NinepFs(client, fid, r.qid);
  }

  get dotL(): boolean {
    return this.client.dialect === '9P2000.L';
  }

  /**
   * Run a multi-request operation under one deadline: every request it sends carries a signal
   * that aborts when the deadline passes (the client flushes the request in flight), and the
   * resulting timeout says which operation ran out of time.
   */
  private async bounded<T>(
    what: string,
    opts: OperationOptions,
    run: (o: RequestOptions) => Promise<T>,
  ): Promise<T> {
    if (opts.signal && deadlineSignals.has(opts.signal)) return run(opts);
    const ms = opts.deadlineMs ?? DEFAULT_DEADLINE_MS;
    if (!(ms > 0)) throw new NinepUsageError(`deadlineMs must be a positive number of ms, got ${ms}`);
    const ctl = new AbortController();
    // every request in flight listens on this signal (a read window of 16 means 16 listeners,
    // each removed when its reply arrives): not a leak, so no MaxListeners warning
    setMaxListeners(0, ctl.signal);
    deadlineSignals.add(ctl.signal);
    let expired = false;
    const timer = setTimeout(() => {
      expired = true;
      ctl.abort();
    }, ms);
    const outer = opts.signal;
    const onOuter = () => ctl.abort();
    if (outer?.aborted) ctl.abort();
    else outer?.addEventListener('abort', onOuter, { once: true });
    try {
      return await run({ ...opts, signal: ctl.signal });
    } catch (e) {
      if (expired && e instanceof NinepTimeoutError)
        throw new NinepTimeoutError(
          `${what} did not finish within its whole-operation bound of ${ms} ms (deadlineMs); last request: ${e.message}`,
        );
      throw e;
    } finally {
      clearTimeout(timer);
      outer?.removeEventListener('abort', onOuter);
    }
  }

  /** Walk from the root to `path`, returning a new fid (the caller clunks it). */
  async walk(path: string | string[], opts: OperationOptions = {}): Promise<number> {
    const names = typeof path === 'string' ? splitPath(path) : path;
    const shown = '/' + names.join('/');
    return this.bounded(`walk to ${shown}`, opts, async (o) => {
      const newfid = this.client.allocFid();
      let from = this.rootFid;
      let done = 0;
      do {
        const chunk = names.slice(done, done + MAX_WELEM);
        let r: MessageOf<'Rwalk'>;
        try {
          r = await this.client.rpc<'Rwalk'>({ type: 'Twalk', fid: from, newfid, wnames: chunk }, o);
        } catch (e) {
          if (from === newfid) await this.clunk(newfid).catch(() => undefined);
          throw e;
        }
        if (r.qids.length < chunk.length) {
          if (from === newfid) await this.clunk(newfid).catch(() => undefined);
          const missing = chunk[r.qids.length]!;
          throw new NinepRemoteError('Twalk', `'${missing}' not found walking ${shown}`);
        }
        from = newfid;
        done += chunk.length;
      } while (done < names.length);
      this.client.noteFid(newfid, shown);
      return newfid;
    });
  }

  async clunk(fid: number, opts: RequestOptions = {}): Promise<void> {
    try {
      await this.client.rpc<'Rclunk'>({ type: 'Tclunk', fid }, opts);
    } finally {
      this.client.forgetFid(fid);
    }
  }

  /** Open an existing file; returns its fid (clunk it when done). */
  async open(
    path: string,
    mode: OpenMode,
    opts: OperationOptions & { truncate?: boolean; directory?: boolean } = {},
  ): Promise<OpenFile> {
    return this.bounded(`open of ${path}`, opts, async (o) => {
      const fid = await this.walk(path, o);
      try {
        return await this.openFid(fid, mode, { ...opts, ...o });
      } catch (e) {
        await this.clunk(fid).catch(() => undefined);
        throw e;
      }
    });
  }

  /** Open a fid that was already walked. */
  async openFid(
    fid: number,
    mode: OpenMode,
    opts: RequestOptions & { truncate?: boolean; directory?: boolean } = {},
  ): Promise<OpenFile> {
    if (this.dotL) {
      const flags =
        (mode === 'r' ? L_RDONLY : mode === 'w' ? L_WRONLY : L_RDWR) |
        (opts.truncate ? L_TRUNC : 0) |
        (opts.directory ? L_DIRECTORY : 0);
      const r = await this.client.rpc<'Rlopen'>({ type: 'Tlopen', fid, flags }, opts);
      return { fid, qid: r.qid, iounit: this.ioSize(r.iounit) };
    }
    const m = (mode === 'r' ? OREAD : mode === 'w' ? OWRITE : ORDWR) | (opts.truncate ? OTRUNC : 0);
    const r = await this.client.rpc<'Ropen'>({ type: 'Topen', fid, mode: m }, opts);
    return { fid, qid: r.qid, iounit: this.ioSize(r.iounit) };
  }

  private ioSize(iounit: number): number {
    const max = this.client.msize - IOHDRSZ;
    return iounit === 0 || iounit > max ? max : iounit;
  }

  /** Create `name` in the directory `dir` and open it; returns the open fid. */
  async create(
    dir: string,
    name: string,
    mode: OpenMode,
    opts: OperationOptions & { perm?: number } = {},
  ): Promise<OpenFile> {
    if (name.includes('/')) throw new NinepUsageError(`file name ${JSON.stringify(name)} contains '/'`);
    return this.bounded(`create of ${dir}/${name}`, opts, async (o) => {
      const fid = await this.walk(dir, o);
      try {
        if (this.dotL) {
          const flags = (mode === 'r' ? L_RDONLY : mode === 'w' ? L_WRONLY : L_RDWR) | L_CREAT;
          const r = await this.client.rpc<'Rlcreate'>(
            { type: 'Tlcreate', fid, name, flags, mode: opts.perm ?? 0o644, gid: process.getgid?.() ?? 0 },
            o,
          );
          this.client.noteFid(fid, `${dir}/${name}`);
          return { fid, qid: r.qid, iounit: this.ioSize(r.iounit) };
        }
        const m = mode === 'r' ? OREAD : mode === 'w' ? OWRITE : ORDWR;
        const r = await this.client.rpc<'Rcreate'>(
          { type: 'Tcreate', fid, name, perm: opts.perm ?? 0o644, mode: m },
          o,
        );
        this.client.noteFid(fid, `${dir}/${name}`);
        return { fid, qid: r.qid, iounit: this.ioSize(r.iounit) };
      } catch (e) {
        await this.clunk(fid).catch(() => undefined);
        throw e;
      }
    });
  }

  async read(fid: number, offset: bigint, count: number, opts: RequestOptions = {}): Promise<Buffer> {
    const r = await this.client.rpc<'Rread'>({ type: 'Tread', fid, offset, count }, opts);
    return Buffer.from(r.data.buffer, r.data.byteOffset, r.data.byteLength);
  }

  async write(fid: number, offset: bigint, data: Uint8Array, opts: RequestOptions = {}): Promise<number> {
    const r = await this.client.rpc<'Rwrite'>({ type: 'Twrite', fid, offset, data }, opts);
    return r.count;
  }

  /**
   * Read an open fid to the end, handing each piece to `onChunk` in offset order. `window`
   * reads are kept in flight at once (pipelining hides the round trip). With `maxBytes`, a
   * file longer than that fails with NinepLimitError instead of being read on (a server may
   * serve an endless file); the whole read is bounded by `deadlineMs`. With `transient`, the
   * piece handed to `onChunk` is valid only during that call (copy what you keep): its memory is
   * then reused for later replies, so a long streamed read allocates nothing per piece.
   */
  async readChunks(
    f: OpenFile,
    onChunk: (b: Buffer, offset: number) => void,
    opts: OperationOptions & { window?: number; maxBytes?: number; transient?: boolean } = {},
  ): Promise<number> {
    const lend = opts.transient === true;
    const window = Math.max(1, opts.window ?? 2);
    const max = opts.maxBytes ?? Infinity;
    const shown = this.client.liveFids.get(f.fid) ?? `fid ${f.fid}`;
    return this.bounded(`read of ${shown}`, opts, (o) =>
      readWindow(
        this.client,
        {
          fid: f.fid,
          chunk: f.iounit,
          window,
          maxBytes: max,
          lend,
          timeoutMs: o.timeoutMs ?? this.client.requestTimeoutMs,
          signal: o.signal,
          shown,
        },
        onChunk,
      ),
    );
  }

  /**
   * Read an open fid to the end into one buffer. The server's claimed length is not trusted
   * for allocation: pieces are kept as they arrive (each at most iounit bytes) and joined at
   * EOF; more than `maxBytes` (default 64 MiB) fails with NinepLimitError.
   */
  async readAll(
    f: OpenFile,
    opts: OperationOptions & { window?: number; maxBytes?: number } = {},
  ): Promise<Buffer> {
    const pieces: Buffer[] = [];
    const total = await this.readChunks(f, (b) => pieces.push(b), {
      ...opts,
      maxBytes: opts.maxBytes ?? DEFAULT_MAX_BYTES,
    });
    return pieces.length === 1 ? pieces[0]! : Buffer.concat(pieces, total);
  }

  /** Read a whole file (to EOF, at most `maxBytes`, default 64 MiB) under one deadline. */
  async readFile(
    path: string,
    opts: OperationOptions & { window?: number; maxBytes?: number } = {},
  ): Promise<Buffer> {
    return this.bounded(`read of ${path}`, opts, async (o) => {
      const f = await this.open(path, 'r', o);
      try {
        return await this.readAll(f, { ...opts, ...o });
      } finally {
        await this.clunk(f.fid).catch(() => undefined);
      }
    });
  }

  /** Write a whole file: truncates an existing one, creates it (in its parent) when absent. */
  async writeFile(
    path: string,
    data: Uint8Array | string,
    opts: OperationOptions & { create?: boolean; perm?: number } = {},
  ): Promise<void> {
    const bytes = typeof data === 'string' ? Buffer.from(data) : data;
    await this.bounded(`write of ${path}`, opts, async (o) => {
      let f: OpenFile;
      try {
        f = await this.open(path, 'w', { ...o, truncate: true });
      } catch (e) {
        if (!(opts.create ?? true) || !isNotFound(e)) throw e;
        const parts = splitPath(path);
        const name = parts.pop();
        if (!name) throw e;
        f = await this.create('/' + parts.join('/'), name, 'w', { ...o, perm: opts.perm });
      }
      try {
        let off = 0;
        do {
          const n = await this.write(f.fid, BigInt(off), bytes.subarray(off, off + f.iounit), o);
          if (n === 0 && bytes.length > 0)
            throw new NinepRemoteError('Twrite', `server accepted 0 bytes at offset ${off} of ${path}`);
          off += n;
        } while (off < bytes.length);
      } finally {
        await this.clunk(f.fid).catch(() => undefined);
      }
    });
  }

  async statFid(fid: number, name: string, opts: RequestOptions = {}): Promise<FileInfo> {
    if (this.dotL) {
      const r = await this.client.rpc<'Rgetattr'>(
        { type: 'Tgetattr', fid, requestMask: GETATTR_BASIC },
        opts,
      );
      return { name, qid: r.qid, isDir: (r.qid.type & QTDIR) !== 0, length: r.size, mode: r.mode };
    }
    const r = await this.client.rpc<'Rstat'>({ type: 'Tstat', fid }, opts);
    return {
      name: r.stat.name,
      qid: r.stat.qid,
      isDir: (r.stat.mode & DMDIR) !== 0,
      length: r.stat.length,
      mode: r.stat.mode,
    };
  }

  async stat(path: string, opts: OperationOptions = {}): Promise<FileInfo> {
    return this.bounded(`stat of ${path}`, opts, async (o) => {
      const fid = await this.walk(path, o);
      try {
        return await this.statFid(fid, splitPath(path).pop() ?? '/', o);
      } finally {
        await this.clunk(fid).catch(() => undefined);
      }
    });
  }

  /**
   * The entries of a directory ('.' and '..' left out). A server that does not make progress
   * (an Rreaddir offset that does not advance, an entry seen twice) fails with a
   * NinepProtocolError; the listing's data is capped by `maxBytes` (default 64 MiB) and the
   * whole listing by `deadlineMs`.
   */
  async list(path: string, opts: OperationOptions & { maxBytes?: number } = {}): Promise<FileInfo[]> {
    const max = opts.maxBytes ?? DEFAULT_MAX_BYTES;
    return this.bounded(`listing of ${path}`, opts, async (o) => {
      const f = await this.open(path, 'r', { ...o, directory: this.dotL });
      try {
        const out: FileInfo[] = [];
        const seen = new Set<string>();
        const add = (info: FileInfo) => {
          if (info.name === '.' || info.name === '..') return;
          if (seen.has(info.name))
            throw new NinepProtocolError(
              'repeated-entry',
              `listing ${path}: the server returned the entry ${JSON.stringify(info.name)} twice`,
            );
          seen.add(info.name);
          out.push(info);
        };
        let bytes = 0;
        const count = (n: number) => {
          bytes += n;
          if (bytes > max)
            throw new NinepLimitError(
              max,
              `listing ${path} returned more than the ${max}-byte cap (maxBytes) of directory data`,
            );
        };
        const listing = { f, path, o, add, count };
        if (this.dotL) await this.listDotL(listing);
        else await this.listStats(listing);
        return out;
      } finally {
        await this.clunk(f.fid).catch(() => undefined);
      }
    });
  }

  /** 9P2000.L: Treaddir from the offset of the last entry, which must move forward. */
  private async listDotL({ f, path, o, add, count }: Listing): Promise<void> {
    let offset = 0n;
    for (;;) {
      const r = await this.client.rpc<'Rreaddir'>(
        { type: 'Treaddir', fid: f.fid, offset, count: f.iounit },
        o,
      );
      count(r.data.length);
      const ents = decodeDirents(r.data);
      if (ents.length === 0) return;
      const last = ents[ents.length - 1]!.offset;
      if (last <= offset)
        throw new NinepProtocolError(
          'no-progress',
          `listing ${path}: Treaddir at offset ${offset} was answered with entries ending at offset ${last}; the directory offset must advance`,
        );
      for (const e of ents)
        add({ name: e.name, qid: e.qid, isDir: (e.qid.type & QTDIR) !== 0, length: 0n, mode: 0 });
      offset = last;
    }
  }

  /** 9P2000: Tread of the directory; replies hold whole stat records (a split one is carried over). */
  private async listStats({ f, path, o, add, count }: Listing): Promise<void> {
    let offset = 0n;
    let carry: Buffer = Buffer.alloc(0);
    for (;;) {
      const b = await this.read(f.fid, offset, f.iounit, o);
      if (b.length === 0) break;
      count(b.length);
      offset += BigInt(b.length);
      const data = carry.length ? Buffer.concat([carry, b]) : b;
      let end = 0;
      while (end + 2 <= data.length && end + 2 + data.readUInt16LE(end) <= data.length)
        end += 2 + data.readUInt16LE(end);
      for (const s of decodeStats(data.subarray(0, end)))
        add({ name: s.name, qid: s.qid, isDir: (s.mode & DMDIR) !== 0, length: s.length, mode: s.mode });
      carry = Buffer.from(data.subarray(end));
    }
    if (carry.length > 0)
      throw new NinepProtocolError(
        'truncated',
        `listing ${path}: the directory data ends inside a stat record (${carry.length} bytes left over)`,
      );
  }

  async mkdir(path: string, opts: OperationOptions & { perm?: number } = {}): Promise<Qid> {
    const parts = splitPath(path);
    const name = parts.pop();
    if (!name) throw new NinepUsageError(`mkdir of the root`);
    return this.bounded(`mkdir of ${path}`, opts, async (o) => {
      const dfid = await this.walk(parts, o);
      try {
        if (this.dotL) {
          const r = await this.client.rpc<'Rmkdir'>(
            { type: 'Tmkdir', dfid, name, mode: opts.perm ?? 0o755, gid: process.getgid?.() ?? 0 },
            o,
          );
          return r.qid;
        }
        const r = await this.client.rpc<'Rcreate'>(
          { type: 'Tcreate', fid: dfid, name, perm: (DMDIR | (opts.perm ?? 0o755)) >>> 0, mode: OREAD },
          o,
        );
        return r.qid;
      } finally {
        await this.clunk(dfid).catch(() => undefined);
      }
    });
  }

  /** Remove a file or empty directory (Tremove frees the fid whatever the answer). */
  async remove(path: string, opts: OperationOptions = {}): Promise<void> {
    await this.bounded(`remove of ${path}`, opts, async (o) => {
      const fid = await this.walk(path, o);
      try {
        await this.client.rpc<'Rremove'>({ type: 'Tremove', fid }, o);
      } finally {
        this.client.forgetFid(fid);
      }
    });
  }

  /** Clunk the root fid. The connection stays open (close the client for that). */
  async detach(opts: RequestOptions = {}): Promise<void> {
    await this.clunk(this.rootFid, opts);
  }
}

function isNotFound(e: unknown): boolean {
  if (!(e instanceof NinepRemoteError)) return false;
  return e.errno === 2 || /not found|does not exist|no such file/i.test(e.ename);
}
