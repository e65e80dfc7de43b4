// High-level file operations over an attached 9P client: walk a path, open,
// read or write a whole file, stat, list a directory, mkdir, remove. The
// dialect decides which messages are used (Topen/Tcreate/Tstat for 9P2000,
// Tlopen/Tlcreate/Tgetattr/Treaddir for 9P2000.L); callers see one API.
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
import { NinepRemoteError, NinepUsageError } from './errors.ts';

export interface FileInfo {
  name: string;
  qid: Qid;
  isDir: boolean;
  length: bigint;
  /** permission bits (and DMDIR for 9P2000 directories) */
  mode: number;
}

export type OpenMode = 'r' | 'w' | 'rw';

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

  /** Walk from the root to `path`, returning a new fid (the caller clunks it). */
  async walk(path: string | string[], opts: RequestOptions = {}): Promise<number> {
    const names = typeof path === 'string' ? splitPath(path) : path;
    const newfid = this.client.allocFid();
    const shown = '/' + names.join('/');
    let from = this.rootFid;
    let done = 0;
    do {
      const chunk = names.slice(done, done + MAX_WELEM);
      let r: MessageOf<'Rwalk'>;
      try {
        r = await this.client.rpc<'Rwalk'>({ type: 'Twalk', fid: from, newfid, wnames: chunk }, opts);
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
    opts: RequestOptions & { truncate?: boolean; directory?: boolean } = {},
  ): Promise<OpenFile> {
    const fid = await this.walk(path, opts);
    try {
      return await this.openFid(fid, mode, opts);
    } catch (e) {
      await this.clunk(fid).catch(() => undefined);
      throw e;
    }
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
    opts: RequestOptions & { perm?: number } = {},
  ): Promise<OpenFile> {
    if (name.includes('/')) throw new NinepUsageError(`file name ${JSON.stringify(name)} contains '/'`);
    const fid = await this.walk(dir, opts);
    try {
      if (this.dotL) {
        const flags = (mode === 'r' ? L_RDONLY : mode === 'w' ? L_WRONLY : L_RDWR) | L_CREAT;
        const r = await this.client.rpc<'Rlcreate'>(
          { type: 'Tlcreate', fid, name, flags, mode: opts.perm ?? 0o644, gid: process.getgid?.() ?? 0 },
          opts,
        );
        this.client.noteFid(fid, `${dir}/${name}`);
        return { fid, qid: r.qid, iounit: this.ioSize(r.iounit) };
      }
      const m = mode === 'r' ? OREAD : mode === 'w' ? OWRITE : ORDWR;
      const r = await this.client.rpc<'Rcreate'>(
        { type: 'Tcreate', fid, name, perm: opts.perm ?? 0o644, mode: m },
        opts,
      );
      this.client.noteFid(fid, `${dir}/${name}`);
      return { fid, qid: r.qid, iounit: this.ioSize(r.iounit) };
    } catch (e) {
      await this.clunk(fid).catch(() => undefined);
      throw e;
    }
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
   * reads are kept in flight at once (pipelining hides the round trip).
   */
  async readChunks(
    f: OpenFile,
    onChunk: (b: Buffer, offset: number) => void,
    opts: RequestOptions & { window?: number } = {},
  ): Promise<number> {
    const window = Math.max(1, opts.window ?? 2);
    const chunk = f.iounit;
    let next = 0n;
    let eof = false;
    let total = 0;
    const inflight: Array<Promise<Buffer>> = [];
    const issue = () => {
      const p = this.read(f.fid, next, chunk, opts);
      // a failure is seen when this read is awaited; reads still queued behind a failed one
      // must not become unhandled rejections
      p.catch(() => undefined);
      inflight.push(p);
      next += BigInt(chunk);
    };
    for (let i = 0; i < window; i++) issue();
    while (inflight.length > 0) {
      const b = await inflight.shift()!;
      if (eof) continue;
      if (b.length > 0) onChunk(b, total);
      total += b.length;
      if (b.length < chunk) eof = true;
      else issue();
    }
    return total;
  }

  /**
   * Read an open fid to the end into one buffer. With `sizeHint` (the file's length) the
   * buffer is allocated once and filled while later replies are still on the wire.
   */
  async readAll(
    f: OpenFile,
    opts: RequestOptions & { window?: number; sizeHint?: number } = {},
  ): Promise<Buffer> {
    const hint = opts.sizeHint ?? 0;
    const pre = hint > 0 ? Buffer.allocUnsafe(hint) : undefined;
    const extra: Buffer[] = [];
    const total = await this.readChunks(
      f,
      (b, off) => {
        if (pre && off + b.length <= pre.length) b.copy(pre, off);
        else if (pre && off < pre.length) {
          b.copy(pre, off, 0, pre.length - off);
          extra.push(b.subarray(pre.length - off));
        } else extra.push(b);
      },
      opts,
    );
    if (!pre) return Buffer.concat(extra);
    if (extra.length === 0) return total === pre.length ? pre : pre.subarray(0, total);
    return Buffer.concat([pre, ...extra]);
  }

  async readFile(path: string, opts: RequestOptions & { window?: number } = {}): Promise<Buffer> {
    const f = await this.open(path, 'r', opts);
    try {
      const size = await this.statFid(f.fid, path, opts).then(
        (st) => (st.length <= BigInt(1 << 30) ? Number(st.length) : 0),
        () => 0,
      );
      return await this.readAll(f, { ...opts, sizeHint: size });
    } finally {
      await this.clunk(f.fid).catch(() => undefined);
    }
  }

  /** Write a whole file: truncates an existing one, creates it (in its parent) when absent. */
  async writeFile(
    path: string,
    data: Uint8Array | string,
    opts: RequestOptions & { create?: boolean; perm?: number } = {},
  ): Promise<void> {
    const bytes = typeof data === 'string' ? Buffer.from(data) : data;
    let f: OpenFile;
    try {
      f = await this.open(path, 'w', { ...opts, truncate: true });
    } catch (e) {
      if (!(opts.create ?? true) || !isNotFound(e)) throw e;
      const parts = splitPath(path);
      const name = parts.pop();
      if (!name) throw e;
      f = await this.create('/' + parts.join('/'), name, 'w', opts);
    }
    try {
      let off = 0;
      do {
        const n = await this.write(f.fid, BigInt(off), bytes.subarray(off, off + f.iounit), opts);
        if (n === 0 && bytes.length > 0)
          throw new NinepRemoteError('Twrite', `server accepted 0 bytes at offset ${off} of ${path}`);
        off += n;
      } while (off < bytes.length);
    } finally {
      await this.clunk(f.fid).catch(() => undefined);
    }
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

  async stat(path: string, opts: RequestOptions = {}): Promise<FileInfo> {
    const fid = await this.walk(path, opts);
    try {
      return await this.statFid(fid, splitPath(path).pop() ?? '/', opts);
    } finally {
      await this.clunk(fid).catch(() => undefined);
    }
  }

  /** The entries of a directory ('.' and '..' left out). */
  async list(path: string, opts: RequestOptions = {}): Promise<FileInfo[]> {
    const f = await this.open(path, 'r', { ...opts, directory: this.dotL });
    try {
      if (!this.dotL) {
        const data = await this.readAll(f, { ...opts, window: 1 });
        return decodeStats(data).map((s) => ({
          name: s.name,
          qid: s.qid,
          isDir: (s.mode & DMDIR) !== 0,
          length: s.length,
          mode: s.mode,
        }));
      }
      const out: FileInfo[] = [];
      let offset = 0n;
      for (;;) {
        const r = await this.client.rpc<'Rreaddir'>(
          { type: 'Treaddir', fid: f.fid, offset, count: f.iounit },
          opts,
        );
        const ents = decodeDirents(r.data);
        if (ents.length === 0) break;
        for (const e of ents) {
          if (e.name !== '.' && e.name !== '..')
            out.push({ name: e.name, qid: e.qid, isDir: (e.qid.type & QTDIR) !== 0, length: 0n, mode: 0 });
        }
        offset = ents[ents.length - 1]!.offset;
      }
      return out;
    } finally {
      await this.clunk(f.fid).catch(() => undefined);
    }
  }

  async mkdir(path: string, opts: RequestOptions & { perm?: number } = {}): Promise<Qid> {
    const parts = splitPath(path);
    const name = parts.pop();
    if (!name) throw new NinepUsageError(`mkdir of the root`);
    const dfid = await this.walk(parts, opts);
    try {
      if (this.dotL) {
        const r = await this.client.rpc<'Rmkdir'>(
          { type: 'Tmkdir', dfid, name, mode: opts.perm ?? 0o755, gid: process.getgid?.() ?? 0 },
          opts,
        );
        return r.qid;
      }
      const r = await this.client.rpc<'Rcreate'>(
        { type: 'Tcreate', fid: dfid, name, perm: (DMDIR | (opts.perm ?? 0o755)) >>> 0, mode: OREAD },
        opts,
      );
      return r.qid;
    } finally {
      await this.clunk(dfid).catch(() => undefined);
    }
  }

  /** Remove a file or empty directory (Tremove frees the fid whatever the answer). */
  async remove(path: string, opts: RequestOptions = {}): Promise<void> {
    const fid = await this.walk(path, opts);
    try {
      await this.client.rpc<'Rremove'>({ type: 'Tremove', fid }, opts);
    } finally {
      this.client.forgetFid(fid);
    }
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
