import { describe, expect, it } from 'vitest';
import { NinepClient } from '../../contract/ninep/client.ts';
import { NinepFs } from '../../contract/ninep/fs.ts';
import {
  NinepProtocolError,
  NinepRemoteError,
  NinepTimeoutError,
  NinepUsageError,
} from '../../contract/ninep/errors.ts';
import { encode, NOTAG, type Message } from '../../contract/ninep/codec.ts';
import { scriptPeer, versionReply } from './script-server.ts';

const q = (path: number) => ({ type: 0, version: 0, path: BigInt(path) });

async function connected(opts: { msize?: number; timeoutMs?: number; transcriptLimit?: number } = {}) {
  const peer = scriptPeer();
  const c = new NinepClient(peer.client, { msize: 8192, timeoutMs: 1000, ...opts });
  const v = c.version();
  peer.reply(versionReply(await peer.next()));
  await v;
  return { c, peer };
}

describe('version and msize negotiation', () => {
  it('Tversion goes first with NOTAG and the server may lower msize', async () => {
    const peer = scriptPeer();
    const c = new NinepClient(peer.client, { msize: 8192 });
    const v = c.version();
    const tv = await peer.next();
    expect(tv).toMatchObject({ type: 'Tversion', tag: NOTAG, msize: 8192, version: '9P2000' });
    peer.reply(versionReply(tv, 4096));
    expect(await v).toBe(4096);
    expect(c.msize).toBe(4096);
  });
  it('a larger msize than asked for is a protocol error', async () => {
    const peer = scriptPeer();
    const c = new NinepClient(peer.client, { msize: 8192 });
    const v = c.version();
    peer.reply(versionReply(await peer.next(), 9000));
    await expect(v).rejects.toMatchObject({ fault: 'bad-msize' });
    expect(c.closed).toBe(true);
  });
  it('version "unknown" is reported as a version mismatch', async () => {
    const peer = scriptPeer();
    const c = new NinepClient(peer.client, { msize: 8192 });
    const v = c.version();
    const tv = await peer.next();
    peer.reply({ type: 'Rversion', tag: tv.tag, msize: 8192, version: 'unknown' });
    await expect(v).rejects.toMatchObject({ fault: 'bad-version' });
  });
  it('requests before Tversion are refused locally', async () => {
    const peer = scriptPeer();
    const c = new NinepClient(peer.client);
    await expect(c.rpc({ type: 'Tclunk', fid: 1 })).rejects.toBeInstanceOf(NinepUsageError);
  });
  it('a request larger than msize is refused before it is sent', async () => {
    const { c, peer } = await connected({ msize: 512 });
    await expect(
      c.rpc({ type: 'Twrite', fid: 1, offset: 0n, data: new Uint8Array(600) }),
    ).rejects.toBeInstanceOf(NinepUsageError);
    expect(peer.received.length).toBe(1);
  });
});

describe('tag multiplexing', () => {
  it('many requests in flight are matched to replies arriving in reverse order', async () => {
    const { c, peer } = await connected();
    const calls = Array.from({ length: 20 }, (_, i) =>
      c.rpc<'Rread'>({ type: 'Tread', fid: 1, offset: BigInt(i), count: 10 }),
    );
    const reqs: Message[] = [];
    for (let i = 0; i < 20; i++) reqs.push(await peer.next());
    expect(new Set(reqs.map((r) => r.tag)).size).toBe(20);
    for (const r of [...reqs].reverse()) {
      if (r.type !== 'Tread') throw new Error('expected Tread');
      peer.reply({ type: 'Rread', tag: r.tag, data: new Uint8Array([Number(r.offset)]) });
    }
    const out = await Promise.all(calls);
    expect(out.map((r) => r.data[0])).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(c.inFlight).toBe(0);
  });
  it('Rerror becomes a NinepRemoteError naming the request', async () => {
    const { c, peer } = await connected();
    const p = c.rpc({ type: 'Tclunk', fid: 9 });
    const r = await peer.next();
    peer.reply({ type: 'Rerror', tag: r.tag, ename: 'unknown fid' });
    await expect(p).rejects.toThrow(NinepRemoteError);
    await expect(p).rejects.toMatchObject({ request: 'Tclunk', ename: 'unknown fid' });
  });
  it('a reply with an unknown tag or the wrong type fails the connection with a protocol error', async () => {
    const { c, peer } = await connected();
    const p = c.rpc({ type: 'Tclunk', fid: 9 });
    const r = await peer.next();
    peer.reply({ type: 'Rremove', tag: r.tag });
    await expect(p).rejects.toMatchObject({ fault: 'unexpected-reply' });
    await expect(c.rpc({ type: 'Tclunk', fid: 1 })).rejects.toBeInstanceOf(NinepProtocolError);
    const b = await connected();
    const p2 = b.c.rpc({ type: 'Tclunk', fid: 9 });
    await b.peer.next();
    b.peer.reply({ type: 'Rclunk', tag: 777 });
    await expect(p2).rejects.toMatchObject({ fault: 'unknown-tag' });
  });
  it('Rread with more bytes than asked for is a protocol error', async () => {
    const { c, peer } = await connected();
    const p = c.rpc({ type: 'Tread', fid: 1, offset: 0n, count: 2 });
    const r = await peer.next();
    peer.reply({ type: 'Rread', tag: r.tag, data: new Uint8Array(3) });
    await expect(p).rejects.toMatchObject({ fault: 'bad-count' });
  });
});

describe('bounds, flush and cancel', () => {
  it('a request with no reply times out, is flushed, and its tag stays reserved until Rflush', async () => {
    const { c, peer } = await connected({ timeoutMs: 50 });
    const p = c.rpc({ type: 'Tclunk', fid: 3 });
    const req = await peer.next();
    await expect(p).rejects.toBeInstanceOf(NinepTimeoutError);
    const flush = await peer.next();
    expect(flush).toMatchObject({ type: 'Tflush', oldtag: req.tag });
    expect(c.inFlight).toBe(2);
    // a new request while the flush is outstanding must not reuse the flushed tag
    const other = c.rpc({ type: 'Tclunk', fid: 4 });
    const otherReq = await peer.next();
    expect([req.tag, flush.tag]).not.toContain(otherReq.tag);
    peer.reply({ type: 'Rclunk', tag: otherReq.tag });
    await other;
    peer.reply({ type: 'Rflush', tag: flush.tag });
    await new Promise((r) => setTimeout(r, 10));
    expect(c.inFlight).toBe(0);
  });
  it('a late reply before Rflush is swallowed, and a walked fid is clunked', async () => {
    const { c, peer } = await connected({ timeoutMs: 50 });
    const p = c.rpc({ type: 'Twalk', fid: 1, newfid: 5, wnames: ['a'] });
    const req = await peer.next();
    await expect(p).rejects.toBeInstanceOf(NinepTimeoutError);
    const flush = await peer.next();
    peer.reply({ type: 'Rwalk', tag: req.tag, qids: [q(1)] });
    const clunk = await peer.next();
    expect(clunk).toMatchObject({ type: 'Tclunk', fid: 5 });
    peer.reply({ type: 'Rclunk', tag: clunk.tag });
    peer.reply({ type: 'Rflush', tag: flush.tag });
    await new Promise((r) => setTimeout(r, 10));
    expect(c.liveFids.has(5)).toBe(false);
    expect(c.closed).toBe(false);
  });
  it('an AbortSignal cancels a request and flushes it', async () => {
    const { c, peer } = await connected();
    const ac = new AbortController();
    const p = c.rpc({ type: 'Tclunk', fid: 3 }, { signal: ac.signal });
    await peer.next();
    ac.abort();
    await expect(p).rejects.toThrow(/cancelled/);
    expect((await peer.next()).type).toBe('Tflush');
  });
  it('a flush that is never answered abandons the connection', async () => {
    const { c, peer } = await connected({ timeoutMs: 30 });
    const p = c.rpc({ type: 'Tclunk', fid: 3 });
    await peer.next();
    await expect(p).rejects.toBeInstanceOf(NinepTimeoutError);
    await peer.next();
    await new Promise((r) => setTimeout(r, 80));
    expect(c.closed).toBe(true);
  });
});

describe('fid accounting and helpers', () => {
  it('a failed walk frees the new fid; clunk frees it whatever the reply', async () => {
    const peer = scriptPeer('9P2000', (m, p) => {
      if (m.type === 'Tversion') p.reply(versionReply(m));
      else if (m.type === 'Tattach') p.reply({ type: 'Rattach', tag: m.tag, qid: { ...q(1), type: 0x80 } });
      else if (m.type === 'Twalk')
        p.reply(
          m.wnames[0] === 'missing'
            ? { type: 'Rerror', tag: m.tag, ename: 'file does not exist' }
            : { type: 'Rwalk', tag: m.tag, qids: m.wnames.map((_, i) => q(10 + i)) },
        );
      else if (m.type === 'Tclunk') p.reply({ type: 'Rerror', tag: m.tag, ename: 'boom' });
    });
    const c = new NinepClient(peer.client, { msize: 8192 });
    await c.version();
    const fs = await NinepFs.attach(c, { uname: 'u' });
    expect([...c.liveFids.keys()]).toEqual([fs.rootFid]);
    await expect(fs.walk('/missing')).rejects.toThrow(/file does not exist/);
    expect([...c.liveFids.keys()]).toEqual([fs.rootFid]);
    const fid = await fs.walk('/a/b');
    expect(c.liveFids.get(fid)).toBe('/a/b');
    await expect(fs.clunk(fid)).rejects.toThrow(/boom/);
    expect(c.liveFids.has(fid)).toBe(false);
  });
  it('a walk deeper than 16 names is split into several Twalks', async () => {
    const peer = scriptPeer('9P2000', (m, p) => {
      if (m.type === 'Tversion') p.reply(versionReply(m));
      else if (m.type === 'Tattach') p.reply({ type: 'Rattach', tag: m.tag, qid: q(1) });
      else if (m.type === 'Twalk') p.reply({ type: 'Rwalk', tag: m.tag, qids: m.wnames.map((_, i) => q(i)) });
    });
    const c = new NinepClient(peer.client, { msize: 8192 });
    await c.version();
    const fs = await NinepFs.attach(c);
    await fs.walk(Array.from({ length: 40 }, (_, i) => `d${i}`));
    const walks = peer.received.filter((m) => m.type === 'Twalk');
    expect(walks.map((w) => (w.type === 'Twalk' ? w.wnames.length : -1))).toEqual([16, 16, 8]);
  });
  it('a read failing mid-file with reads pipelined behind it rejects once, leaving no unhandled rejection', async () => {
    let reads = 0;
    const peer = scriptPeer('9P2000', (m, p) => {
      if (m.type === 'Tversion') p.reply(versionReply(m));
      else if (m.type === 'Tattach') p.reply({ type: 'Rattach', tag: m.tag, qid: q(1) });
      else if (m.type === 'Twalk') p.reply({ type: 'Rwalk', tag: m.tag, qids: m.wnames.map((_, i) => q(i)) });
      else if (m.type === 'Topen') p.reply({ type: 'Ropen', tag: m.tag, qid: q(5), iounit: 100 });
      else if (m.type === 'Tstat') p.reply({ type: 'Rerror', tag: m.tag, ename: 'no stat' });
      else if (m.type === 'Tread') {
        // the second read gets a malformed reply: the connection fails under four reads in flight
        if (++reads === 2) p.raw(Buffer.from([3, 0, 0, 0]));
        else p.reply({ type: 'Rread', tag: m.tag, data: new Uint8Array(100) });
      } else if (m.type === 'Tclunk') p.reply({ type: 'Rclunk', tag: m.tag });
    });
    const c = new NinepClient(peer.client, { msize: 8192 });
    await c.version();
    const fs = await NinepFs.attach(c);
    await expect(fs.readFile('/f', { window: 4 })).rejects.toBeInstanceOf(NinepProtocolError);
    await new Promise((r) => setTimeout(r, 20));
  });
  it('the transcript is bounded and says how many frames it dropped', async () => {
    const { c, peer } = await connected({ transcriptLimit: 5 });
    for (let i = 0; i < 10; i++) {
      const p = c.rpc({ type: 'Tclunk', fid: i });
      peer.reply({ type: 'Rclunk', tag: (await peer.next()).tag });
      await p;
    }
    expect(c.transcript.list().length).toBe(5);
    expect(c.transcript.text()).toMatch(/17 earlier frames dropped/);
  });
  it('garbage after a valid reply fails the connection with a protocol error', async () => {
    const { c, peer } = await connected();
    const p = c.rpc({ type: 'Tclunk', fid: 3 });
    const r = await peer.next();
    peer.raw(Buffer.concat([encode({ type: 'Rclunk', tag: r.tag }), Buffer.from([3, 0, 0, 0])]));
    await p;
    await expect(c.rpc({ type: 'Tclunk', fid: 3 })).rejects.toMatchObject({ fault: 'short-frame' });
  });
});
