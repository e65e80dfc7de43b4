// A NamespaceReader over a 9P session, so trace files (/log/trace/,
// /history/snapshots/<id>/) are read from a target's namespace the same way as
// from a local folder. The session is described structurally (the few methods
// of contract/ninep's NinepFs that are used), which keeps this module free of
// session details and lets tests drive it with a fake.
import type { NamespaceReader } from './source.ts';

export interface NinepFileInfoLike {
  name: string;
  isDir: boolean;
  /** 9P2000.L directory reads report 0; the length then comes from a stat */
  length: bigint;
}

export interface NinepFsLike {
  list(path: string): Promise<NinepFileInfoLike[]>;
  stat(path: string): Promise<NinepFileInfoLike>;
  open(path: string, mode: 'r'): Promise<{ fid: number; iounit: number }>;
  read(fid: number, offset: bigint, count: number): Promise<Buffer>;
  clunk(fid: number): Promise<void>;
}

/** A 9P error that says the path is not there (diod: ENOENT; the reference Secure9P server: "file does not exist"). */
const NOT_THERE = /not ?found|no such|ENOENT|does not exist/i;

export class NinepNamespace implements NamespaceReader {
  constructor(
    private readonly fs: NinepFsLike,
    /** reads kept in flight while streaming a file (hides the round trip; memory = window x iounit) */
    private readonly window = 2,
  ) {}

  async readDir(path: string): Promise<Array<{ name: string; isDir: boolean; size: number }>> {
    let entries: NinepFileInfoLike[];
    try {
      entries = await this.fs.list(path);
    } catch (e) {
      // a directory that does not exist holds no trace artifacts (same as a local folder)
      if (NOT_THERE.test((e as Error).message)) return [];
      throw e;
    }
    const base = path.endsWith('/') ? path : `${path}/`;
    return Promise.all(
      entries.map(async (e) => {
        const length =
          !e.isDir && e.length === 0n ? (await this.fs.stat(`${base}${e.name}`)).length : e.length;
        return { name: e.name, isDir: e.isDir, size: Number(length) };
      }),
    );
  }

  async stat(path: string): Promise<{ isDir: boolean; size: number } | undefined> {
    try {
      const s = await this.fs.stat(path);
      return { isDir: s.isDir, size: Number(s.length) };
    } catch (e) {
      if (NOT_THERE.test((e as Error).message)) return undefined;
      throw e;
    }
  }

  /** Streams the file in iounit-sized reads, `window` in flight, in offset order; the fid is clunked on every exit path. */
  async *readStream(path: string): AsyncGenerator<Buffer> {
    const f = await this.fs.open(path, 'r');
    try {
      const chunk = f.iounit;
      let next = 0n;
      const inflight: Array<Promise<Buffer>> = [];
      const issue = (): void => {
        inflight.push(this.fs.read(f.fid, next, chunk));
        next += BigInt(chunk);
      };
      for (let i = 0; i < this.window; i++) issue();
      while (inflight.length > 0) {
        const b = await inflight.shift()!;
        if (b.length > 0) yield b;
        if (b.length < chunk) {
          // short read: end of file; let the reads already sent finish before the clunk
          await Promise.allSettled(inflight);
          break;
        }
        issue();
      }
    } finally {
      await this.fs.clunk(f.fid).catch(() => undefined);
    }
  }
}
