import { describe, expect, it } from 'vitest';
import {
  NinepNamespace,
  type NinepFsLike,
  type NinepFileInfoLike,
} from '../../harness/trace/ninep-namespace.ts';
import { NamespaceTraceSource } from '../../harness/trace/source.ts';
import { diffTraces } from '../../harness/trace/diff.ts';
import { checkTraceSource } from '../../harness/trace/validate.ts';

/** An in-memory 9P2000.L-like file server: directory reads report length 0, reads are iounit-bounded. */
function fakeFs(files: Record<string, string>, iounit = 7): NinepFsLike & { open_: number; reads: number } {
  const fids = new Map<number, string>();
  let nextFid = 1;
  const isDir = (p: string): boolean =>
    Object.keys(files).some((f) => f.startsWith(`${p.replace(/\/$/, '')}/`));
  const notFound = (p: string): Error => new Error(`NotFound: ${p}`);
  const fs = {
    open_: 0,
    reads: 0,
    async list(path: string): Promise<NinepFileInfoLike[]> {
      if (!isDir(path)) throw notFound(path);
      const prefix = `${path.replace(/\/$/, '')}/`;
      const names = new Map<string, boolean>();
      for (const f of Object.keys(files))
        if (f.startsWith(prefix)) {
          const rest = f.slice(prefix.length);
          names.set(rest.split('/')[0]!, rest.includes('/'));
        }
      return [...names].map(([name, dir]) => ({ name, isDir: dir, length: 0n }));
    },
    async stat(path: string): Promise<NinepFileInfoLike> {
      if (files[path] !== undefined)
        return { name: path, isDir: false, length: BigInt(Buffer.byteLength(files[path]!)) };
      if (isDir(path)) return { name: path, isDir: true, length: 0n };
      throw notFound(path);
    },
    async open(path: string): Promise<{ fid: number; iounit: number }> {
      if (files[path] === undefined) throw notFound(path);
      fids.set(nextFid, path);
      fs.open_++;
      return { fid: nextFid++, iounit };
    },
    async read(fid: number, offset: bigint, count: number): Promise<Buffer> {
      fs.reads++;
      return Buffer.from(files[fids.get(fid)!]!).subarray(Number(offset), Number(offset) + count);
    },
    async clunk(fid: number): Promise<void> {
      fids.delete(fid);
      fs.open_--;
    },
  };
  return fs;
}

const ev = (detail: string, ok = true): string =>
  JSON.stringify({ ts: 1, agent: 'queen_primary', event: 'write', detail, ok });

describe('trace reading over a 9P namespace', () => {
  it('lists snapshot folders with sizes from stat, streams lines across iounit reads and clunks every fid', async () => {
    const fs = fakeFs({
      '/history/snapshots/a/live.log': `${ev('/x')}\n${ev('/y')}\n`,
      '/history/snapshots/b/live.log': `${ev('/x')}\n${ev('/y', false)}\n`,
      '/history/snapshots/b/sub/more.jsonl': `${ev('/z')}\n`,
    });
    const ns = new NinepNamespace(fs);
    const b = new NamespaceTraceSource(ns, '/history/snapshots/b');
    expect(await b.list()).toEqual([
      { path: 'live.log', size: Buffer.byteLength(`${ev('/x')}\n${ev('/y', false)}\n`) },
      { path: 'sub/more.jsonl', size: Buffer.byteLength(`${ev('/z')}\n`) },
    ]);
    const check = await checkTraceSource(b);
    expect(check).toMatchObject({ files: 2, lines: 3, problems: [] });
    const records: unknown[] = [];
    const summary = await diffTraces(new NamespaceTraceSource(ns, '/history/snapshots/a'), b, {}, (r) => {
      records.push(r);
    });
    expect(summary).toMatchObject({ changed: 1, added: 1, unchanged: 1 });
    expect(fs.reads).toBeGreaterThan(10); // iounit 7: many reads per file
    expect(fs.open_).toBe(0);
  });

  it('treats a missing directory as empty and a missing snapshot as an error naming it', async () => {
    const ns = new NinepNamespace(fakeFs({ '/log/trace/live.log': `${ev('/x')}\n` }));
    expect(await ns.readDir('/srv/trace')).toEqual([]);
    await expect(new NamespaceTraceSource(ns, '/history/snapshots/nope').list()).rejects.toThrow(
      /9p:\/history\/snapshots\/nope: no such file/,
    );
  });
});
