import { describe, expect, it } from 'vitest';
import {
  decode,
  decodeDirents,
  decodeStats,
  encode,
  encodeDirents,
  encodeStats,
  rawFrame,
  MESSAGES,
  type MessageType,
} from '../../contract/ninep/codec.ts';
import { Framer } from '../../contract/ninep/framer.ts';
import { NinepProtocolError } from '../../contract/ninep/errors.ts';
import { dialectOf, qid, sampleMessages, stat } from './samples.ts';

function fault(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(NinepProtocolError);
    return (e as NinepProtocolError).fault;
  }
  throw new Error('expected a NinepProtocolError, nothing was thrown');
}

describe('codec round trip', () => {
  const samples = sampleMessages();
  it('covers every 9P2000 message and the required 9P2000.L ones', () => {
    const names = new Set(samples.map((m) => m.type));
    for (const t of [
      'Tversion',
      'Rversion',
      'Tauth',
      'Rauth',
      'Tattach',
      'Rattach',
      'Rerror',
      'Tflush',
      'Rflush',
      'Twalk',
      'Rwalk',
      'Topen',
      'Ropen',
      'Tcreate',
      'Rcreate',
      'Tread',
      'Rread',
      'Twrite',
      'Rwrite',
      'Tclunk',
      'Rclunk',
      'Tremove',
      'Rremove',
      'Tstat',
      'Rstat',
      'Twstat',
      'Rwstat',
    ])
      expect(names.has(t as MessageType), t).toBe(true);
    for (const t of [
      'TattachL',
      'Rlerror',
      'Tlopen',
      'Rlopen',
      'Tlcreate',
      'Rlcreate',
      'Tgetattr',
      'Rgetattr',
      'Treaddir',
      'Rreaddir',
      'Tmkdir',
      'Rmkdir',
    ])
      expect(names.has(t as MessageType), t).toBe(true);
  });
  for (const m of samples) {
    it(`${m.type} encodes and decodes to the same message`, () => {
      const frame = encode(m);
      expect(frame.readUInt32LE(0)).toBe(frame.length);
      expect(frame.readUInt8(4)).toBe(MESSAGES[m.type].id);
      const back = decode(frame, dialectOf(m.type));
      expect(back).toEqual({ ...m, ...('data' in m ? { data: Buffer.from(m.data) } : {}) });
    });
  }
  it('stat and dirent lists round-trip', () => {
    expect(decodeStats(encodeStats([stat, { ...stat, name: 'x' }])).map((s) => s.name)).toEqual(['dir', 'x']);
    expect(decodeDirents(encodeDirents([{ qid, offset: 9n, type: 4, name: 'n' }]))).toEqual([
      { qid, offset: 9n, type: 4, name: 'n' },
    ]);
  });
});

describe('codec rejects malformed frames with a typed error', () => {
  const version = encode({ type: 'Tversion', tag: 0xffff, msize: 8192, version: '9P2000' });
  it('frame shorter than the header', () =>
    expect(fault(() => decode(Buffer.from([5, 0, 0, 0, 100]), '9P2000'))).toBe('short-frame'));
  it('size field that disagrees with the bytes', () => {
    const b = Buffer.from(version);
    b.writeUInt32LE(b.length + 1, 0);
    expect(fault(() => decode(b, '9P2000'))).toBe('bad-size');
  });
  it('string running past the end', () => {
    const b = Buffer.from(version);
    b.writeUInt16LE(200, 11);
    expect(fault(() => decode(b, '9P2000'))).toBe('bad-string');
  });
  it('string that is not UTF-8', () => {
    const b = Buffer.from(version);
    b[13] = 0xff;
    expect(fault(() => decode(b, '9P2000'))).toBe('bad-string');
  });
  it('unknown type byte, and a 9P2000.L type in 9P2000', () => {
    expect(fault(() => decode(rawFrame(250, 1), '9P2000'))).toBe('unknown-type');
    expect(fault(() => decode(encode({ type: 'Rlerror', tag: 1, ecode: 2 }), '9P2000'))).toBe('unknown-type');
    expect(fault(() => decode(encode({ type: 'Rerror', tag: 1, ename: 'x' }), '9P2000.L'))).toBe(
      'unknown-type',
    );
  });
  it('walk of 17 names', () => {
    const w = encode({
      type: 'Twalk',
      tag: 1,
      fid: 1,
      newfid: 2,
      wnames: Array.from({ length: 17 }, (_, i) => `n${i}`),
    });
    expect(fault(() => decode(w, '9P2000'))).toBe('bad-count');
  });
  it('Rwalk claiming more qids than it holds', () => {
    const r = encode({ type: 'Rwalk', tag: 1, qids: [qid] });
    r.writeUInt16LE(3, 7);
    expect(fault(() => decode(r, '9P2000'))).toBe('bad-count');
  });
  it('Rread count that disagrees with its data', () => {
    const r = encode({ type: 'Rread', tag: 1, data: new Uint8Array(10) });
    r.writeUInt32LE(11, 7);
    expect(fault(() => decode(r, '9P2000'))).toBe('bad-count');
  });
  it('stat whose size disagrees with its fields', () => {
    const r = encode({ type: 'Rstat', tag: 1, stat });
    r.writeUInt16LE(r.readUInt16LE(9) - 1, 9);
    expect(['bad-count', 'truncated', 'bad-string']).toContain(fault(() => decode(r, '9P2000')));
  });
  it('trailing bytes after the last field', () => {
    const c = encode({ type: 'Tclunk', tag: 1, fid: 1 });
    const b = Buffer.concat([c, Buffer.from([0])]);
    b.writeUInt32LE(b.length, 0);
    expect(fault(() => decode(b, '9P2000'))).toBe('trailing-bytes');
  });
  it('truncated fixed field', () =>
    expect(fault(() => decode(rawFrame(120, 1, new Uint8Array(2)), '9P2000'))).toBe('truncated'));
  it('unencodable string is an encode error', () => {
    expect(fault(() => encode({ type: 'Tversion', tag: 0, msize: 1, version: 'x'.repeat(70000) }))).toBe(
      'encode',
    );
  });
});

describe('framer', () => {
  it('cuts frames split across and merged within chunks', () => {
    const a = encode({ type: 'Tclunk', tag: 1, fid: 1 });
    const b = encode({ type: 'Tversion', tag: 0xffff, msize: 8192, version: '9P2000' });
    const all = Buffer.concat([a, b]);
    const f = new Framer(8192);
    const frames: Buffer[] = [];
    for (let i = 0; i < all.length; i += 3) frames.push(...f.push(all.subarray(i, i + 3)).frames);
    expect(frames.map((x) => x.toString('hex'))).toEqual([a.toString('hex'), b.toString('hex')]);
    expect(f.pending).toBe(0);
  });
  describe('receive slabs', () => {
    const rread = (tag: number, n: number) =>
      encode({ type: 'Rread', tag, data: Buffer.alloc(n, tag) } as Parameters<typeof encode>[0]);
    /** feed `bytes` through readBuffer() as a transport would, in reads of at most `step` bytes */
    const feed = (f: Framer, bytes: Buffer, step: number) => {
      const out: Buffer[] = [];
      for (let i = 0; i < bytes.length; i += step) {
        const into = f.readBuffer();
        const n = Math.min(step, bytes.length - i);
        bytes.copy(into, 0, i, i + n);
        out.push(...f.push(into.subarray(0, n)).frames);
      }
      return out;
    };
    /** feed 60 KB replies until reads move to the start of another slab (at most 40) */
    const fillSlab = (f: Framer, each: (frame: Buffer) => void) => {
      for (let k = 0; k < 40; k++) {
        for (const x of feed(f, rread(k + 10, 60_000), 65_536)) each(x);
        if (f.readBuffer().byteOffset === 0) return;
      }
      throw new Error('reads never moved to another slab');
    };

    it('a frame split by two reads is a view of the slab, not a copy', () => {
      const f = new Framer(1 << 20);
      const slab = f.readBuffer().buffer;
      const frames = feed(f, rread(1, 40_000), 30_000);
      expect(frames).toHaveLength(1);
      expect(frames[0]!.buffer).toBe(slab);
      expect(frames[0]!.subarray(11).every((b) => b === 1)).toBe(true);
    });

    it('a slab whose frames were all released is reused; one with a lent frame is not until it is released', () => {
      const f = new Framer(1 << 20);
      const a = f.readBuffer().buffer;
      fillSlab(f, (x) => f.release(x));
      expect(f.readBuffer().buffer).toBe(a);
      // keep the first frame of this round lent
      let kept: Buffer | undefined;
      fillSlab(f, (x) => (kept ? f.release(x) : (kept = x)));
      const b = f.readBuffer().buffer;
      expect(b).not.toBe(a);
      fillSlab(f, (x) => f.release(x));
      fillSlab(f, (x) => f.release(x));
      expect(f.readBuffer().buffer).toBe(b);
      // the lent frame's bytes survived several MiB of later reads
      expect(kept!.buffer).toBe(a);
      expect(kept!.subarray(11).every((v) => v === kept![11])).toBe(true);
      f.release(kept!);
      // released, slab a is free again: when the current slab fills (one frame of it kept
      // lent, so it cannot simply be reused in place) the next one is a
      let held: Buffer | undefined;
      fillSlab(f, (x) => (held ? f.release(x) : (held = x)));
      expect(f.readBuffer().buffer).toBe(a);
      expect(held!.buffer).toBe(b);
    });

    it('never reuses a slab one of whose frames escaped', () => {
      const f = new Framer(1 << 20);
      const a = f.readBuffer().buffer;
      let first = true;
      fillSlab(f, (x) => {
        if (first) f.escape(x);
        else f.release(x);
        first = false;
      });
      const later = new Set<ArrayBufferLike>();
      for (let i = 0; i < 4; i++) {
        later.add(f.readBuffer().buffer);
        fillSlab(f, (x) => f.release(x));
      }
      expect(later.has(a)).toBe(false);
      expect(later.size).toBe(1);
    });
  });
  it('rejects a size below 7 and above msize before buffering the body', () => {
    expect(new Framer(8192).push(Buffer.from([6, 0, 0, 0])).error?.fault).toBe('short-frame');
    expect(new Framer(8192).push(Buffer.from([0, 0, 1, 0])).error?.fault).toBe('frame-too-large');
  });
});
