// Well-formed but hostile *contents*: every reply is valid 9P and arrives at
// once (so no per-request timeout fires), yet the server never lets the
// operation end or claims sizes it does not have. The fake server is built on
// the project's codec (script-server.ts); each case asserts the typed error and
// a bound on time and on memory growth.
import { describe, expect, it } from 'vitest';
import { NinepClient } from '../../contract/ninep/client.ts';
import { NinepFs } from '../../contract/ninep/fs.ts';
import { encodeDirents, encodeStats, type Dialect, type Message } from '../../contract/ninep/codec.ts';
import { NinepLimitError, NinepProtocolError, NinepTimeoutError } from '../../contract/ninep/errors.ts';
import { scriptPeer, versionReply, type ScriptPeer } from './script-server.ts';
import { stat } from './samples.ts';

const q = (path: number, type = 0) => ({ type, version: 0, path: BigInt(path) });
const MiB = 1024 * 1024;

/** A server that attaches, walks and opens anything, and answers the rest with `rest`. */
async function hostile(
  dialect: Dialect,
  rest: (m: Message, p: ScriptPeer) => void,
): Promise<{ fs: NinepFs; c: NinepClient; peer: ScriptPeer }> {
  const peer = scriptPeer(dialect, (m, p) => {
    if (m.type === 'Tversion') p.reply(versionReply(m));
    else if (m.type === 'Tattach' || m.type === 'TattachL')
      p.reply({ type: 'Rattach', tag: m.tag, qid: q(1, 0x80) });
    else if (m.type === 'Twalk')
      p.reply({ type: 'Rwalk', tag: m.tag, qids: m.wnames.map((_, i) => q(10 + i)) });
    else if (m.type === 'Topen') p.reply({ type: 'Ropen', tag: m.tag, qid: q(5), iounit: 0 });
    else if (m.type === 'Tlopen') p.reply({ type: 'Rlopen', tag: m.tag, qid: q(5), iounit: 0 });
    else if (m.type === 'Tclunk') p.reply({ type: 'Rclunk', tag: m.tag });
    else rest(m, p);
  });
  const c = new NinepClient(peer.client, { dialect, msize: 8192, timeoutMs: 2000 });
  await c.version();
  const fs = await NinepFs.attach(c, { uname: 'u' });
  return { fs, c, peer };
}

/** Run `op`, returning its error, the time it took and the RSS growth it caused. */
async function measured(op: () => Promise<unknown>): Promise<{ err: unknown; ms: number; grewMiB: number }> {
  const rss0 = process.memoryUsage().rss;
  let peak = rss0;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  const t0 = performance.now();
  let err: unknown;
  try {
    await op();
  } catch (e) {
    err = e;
  } finally {
    clearInterval(sampler);
  }
  peak = Math.max(peak, process.memoryUsage().rss);
  return { err, ms: performance.now() - t0, grewMiB: (peak - rss0) / MiB };
}

describe('hostile contents: directory listings that never end', () => {
  it('an Rreaddir whose offset does not advance stops list() with a no-progress protocol error', async () => {
    let readdirs = 0;
    const { fs, c } = await hostile('9P2000.L', (m, p) => {
      if (m.type !== 'Treaddir') return;
      readdirs++;
      // always the same two entries, always ending at offset 2: "here is more" forever
      const data = encodeDirents([
        { qid: q(20), offset: 1n, type: 0, name: 'a' },
        { qid: q(21), offset: 2n, type: 0, name: 'b' },
      ]);
      p.reply({ type: 'Rreaddir', tag: m.tag, data });
    });
    const r = await measured(() => fs.list('/d'));
    expect(r.err, 'list() of a non-advancing directory must fail').toBeInstanceOf(NinepProtocolError);
    expect((r.err as NinepProtocolError).fault).toBe('no-progress');
    expect((r.err as Error).message).toMatch(/offset must advance/);
    expect(readdirs, 'the client stops at the first reply that does not advance').toBeLessThanOrEqual(2);
    expect(r.ms).toBeLessThan(2000);
    expect(r.grewMiB).toBeLessThan(32);
    expect([...c.liveFids.keys()], 'the directory fid is clunked').toEqual([fs.rootFid]);
    c.close();
  });

  it('a 9P2000 directory read repeating an entry stops list() with a repeated-entry protocol error', async () => {
    const { fs, c } = await hostile('9P2000', (m, p) => {
      // every read, at any offset, returns the same stat record: an endless directory
      if (m.type === 'Tread') p.reply({ type: 'Rread', tag: m.tag, data: encodeStats([stat]) });
    });
    const r = await measured(() => fs.list('/d'));
    expect(r.err).toBeInstanceOf(NinepProtocolError);
    expect((r.err as NinepProtocolError).fault).toBe('repeated-entry');
    expect((r.err as Error).message).toMatch(/returned the entry "dir" twice/);
    expect(r.ms).toBeLessThan(2000);
    expect(r.grewMiB).toBeLessThan(32);
    c.close();
  });
});

describe('hostile contents: file sizes', () => {
  it('readFile of a 4-byte file whose stat claims 1 GiB reads the 4 bytes without reserving the claim', async () => {
    const { fs, c } = await hostile('9P2000', (m, p) => {
      if (m.type === 'Tstat')
        p.reply({ type: 'Rstat', tag: m.tag, stat: { ...stat, mode: 0o644, length: 1n << 30n, name: 'f' } });
      else if (m.type === 'Tread')
        p.reply({
          type: 'Rread',
          tag: m.tag,
          data: m.offset === 0n ? Buffer.from('abcd') : new Uint8Array(0),
        });
    });
    let got: Buffer | undefined;
    const r = await measured(async () => (got = await fs.readFile('/f')));
    expect(r.err).toBeUndefined();
    expect(got?.toString()).toBe('abcd');
    expect(r.ms).toBeLessThan(2000);
    // a 1 GiB reservation shows as hundreds of MiB once touched; nothing near that may appear
    expect(r.grewMiB).toBeLessThan(32);
    c.close();
  });

  it('readFile of an endless file stops at maxBytes with a NinepLimitError', async () => {
    let served = 0;
    const { fs, c } = await hostile('9P2000', (m, p) => {
      // every read is answered in full: the file never ends
      if (m.type === 'Tread') {
        served += m.count;
        p.reply({ type: 'Rread', tag: m.tag, data: new Uint8Array(m.count).fill(0x41) });
      }
    });
    const cap = 2 * MiB;
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.name);
    process.on('warning', onWarning);
    // a window of 16 puts 16 requests on the operation's deadline signal at once
    const r = await measured(() => fs.readFile('/endless', { maxBytes: cap, window: 16 }));
    await new Promise((res) => setImmediate(res));
    process.off('warning', onWarning);
    expect(warnings, 'no MaxListenersExceededWarning from the deadline signal').not.toContain(
      'MaxListenersExceededWarning',
    );
    expect(r.err).toBeInstanceOf(NinepLimitError);
    expect((r.err as NinepLimitError).limit).toBe(cap);
    expect((r.err as Error).message).toMatch(/longer than the 2097152-byte cap/);
    // the client stops within a window of reads past the cap
    expect(served).toBeLessThan(cap + 17 * 8192);
    expect(r.ms).toBeLessThan(5000);
    expect(r.grewMiB).toBeLessThan(64);
    c.close();
  });

  it('readFile defaults to a 64 MiB cap', async () => {
    const { fs, c } = await hostile('9P2000', (m, p) => {
      if (m.type === 'Tread') p.reply({ type: 'Rread', tag: m.tag, data: new Uint8Array(m.count) });
    });
    const r = await measured(() => fs.readFile('/endless', { window: 8 }));
    expect(r.err).toBeInstanceOf(NinepLimitError);
    expect((r.err as NinepLimitError).limit).toBe(64 * MiB);
    expect(r.ms).toBeLessThan(30_000);
    // the pieces read so far are held (≤ 64 MiB) until the error releases them
    expect(r.grewMiB).toBeLessThan(160);
    c.close();
  }, 40_000);
});

describe('hostile contents: whole-operation bound', () => {
  it('a listing that keeps advancing forever, each reply prompt, ends at deadlineMs with a timeout', async () => {
    let n = 0;
    const { fs, c } = await hostile('9P2000.L', (m, p) => {
      if (m.type !== 'Treaddir') return;
      // each reply comes well within the 2 s per-request bound, with new names and a larger offset
      setTimeout(() => {
        n++;
        const data = encodeDirents([{ qid: q(100 + n), offset: m.offset + 1n, type: 0, name: `f${n}` }]);
        p.reply({ type: 'Rreaddir', tag: m.tag, data });
      }, 10);
    });
    const r = await measured(() => fs.list('/d', { deadlineMs: 400 }));
    expect(r.err).toBeInstanceOf(NinepTimeoutError);
    expect((r.err as Error).message).toMatch(
      /listing of \/d did not finish within its whole-operation bound of 400 ms/,
    );
    expect(n, 'several prompt replies were served before the bound').toBeGreaterThan(3);
    expect(r.ms).toBeGreaterThanOrEqual(390);
    expect(r.ms).toBeLessThan(1500);
    expect(r.grewMiB).toBeLessThan(32);
    c.close();
  });

  it('a read trickling full chunks slowly ends at deadlineMs, not at the per-request bound', async () => {
    const { fs, c } = await hostile('9P2000', (m, p) => {
      if (m.type === 'Tread')
        setTimeout(() => p.reply({ type: 'Rread', tag: m.tag, data: new Uint8Array(m.count) }), 20);
    });
    const r = await measured(() => fs.readFile('/slow', { deadlineMs: 300 }));
    expect(r.err).toBeInstanceOf(NinepTimeoutError);
    expect((r.err as Error).message).toMatch(
      /read of \/slow did not finish within its whole-operation bound of 300 ms/,
    );
    expect(r.ms).toBeLessThan(1500);
    c.close();
  });
});
