// The window read behind readChunks (contract/ninep/read-window.ts) keeps, with one timer and
// one listener for the whole window, the bounds a timer per Tread gave: a reply that never
// comes ends the read naming that Tread, every read still in flight is flushed, an Rerror
// ends it with the server's error, and out-of-order replies are handed on in offset order.
import { describe, expect, it } from 'vitest';
import { NinepClient } from '../../contract/ninep/client.ts';
import { readWindow } from '../../contract/ninep/read-window.ts';
import type { Message } from '../../contract/ninep/codec.ts';
import { NinepRemoteError, NinepTimeoutError } from '../../contract/ninep/errors.ts';
import { scriptPeer, versionReply, type ScriptPeer } from './script-server.ts';

const CHUNK = 100;

/** A peer answering Tversion and Tflush itself and every Tread with `onRead`. */
async function peerWith(onRead: (m: Message & { type: 'Tread' }, p: ScriptPeer) => void) {
  const peer = scriptPeer('9P2000', (m, p) => {
    if (m.type === 'Tversion') p.reply(versionReply(m));
    else if (m.type === 'Tflush') p.reply({ type: 'Rflush', tag: m.tag });
    else if (m.type === 'Tread') onRead(m, p);
  });
  const c = new NinepClient(peer.client, { msize: 8192, timeoutMs: 2000 });
  await c.version();
  return { c, peer };
}

const opts = (timeoutMs: number, signal?: AbortSignal) => ({
  fid: 7,
  chunk: CHUNK,
  window: 4,
  maxBytes: 1 << 20,
  lend: true,
  timeoutMs,
  signal,
  shown: '/f',
});

const settle = () => new Promise((r) => setTimeout(r, 20));

describe('readWindow: bounds without a timer per Tread', () => {
  it('a Tread never answered ends the read within the per-request bound, naming it, and flushes the rest', async () => {
    const { c, peer } = await peerWith((m, p) => {
      // offset 100 is never answered; the others are, at once
      if (m.offset !== BigInt(CHUNK))
        p.reply({ type: 'Rread', tag: m.tag, data: new Uint8Array(m.offset < 300n ? CHUNK : 0) });
    });
    const t0 = performance.now();
    const err = await readWindow(c, opts(150), () => undefined).catch((e: unknown) => e);
    const ms = performance.now() - t0;
    expect(err).toBeInstanceOf(NinepTimeoutError);
    expect((err as Error).message).toMatch(
      /Tread tag=\d+ fid=7 offset=100 count=100: no reply within 150 ms/,
    );
    expect(ms).toBeGreaterThanOrEqual(140);
    expect(ms).toBeLessThan(1500);
    await settle();
    expect(peer.received.filter((m) => m.type === 'Tflush').length, 'the unanswered Tread was flushed').toBe(
      1,
    );
    expect(c.inFlight, 'every tag came back once its Rflush arrived').toBe(0);
    c.close();
  });

  it('a cancelled signal ends the read with a timeout naming the Tread it waited for', async () => {
    const { c } = await peerWith(() => undefined);
    const ctl = new AbortController();
    setTimeout(() => ctl.abort(), 50);
    const err = await readWindow(c, opts(2000, ctl.signal), () => undefined).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NinepTimeoutError);
    expect((err as Error).message).toMatch(/Tread tag=\d+ fid=7 offset=0 count=100: cancelled/);
    await settle();
    expect(c.inFlight, 'all four reads were flushed and released').toBe(0);
    c.close();
  });

  it('an Rerror in the window ends the read with the server error', async () => {
    const { c } = await peerWith((m, p) => {
      if (m.offset === 200n) p.reply({ type: 'Rerror', tag: m.tag, ename: 'i/o error' });
      else p.reply({ type: 'Rread', tag: m.tag, data: new Uint8Array(CHUNK) });
    });
    const seen: number[] = [];
    const err = await readWindow(c, opts(2000), (b, off) => seen.push(off)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NinepRemoteError);
    expect((err as Error).message).toMatch(/i\/o error/);
    expect(seen, 'the pieces before the failed one were handed on').toEqual([0, 100]);
    c.close();
  });

  it('replies arriving in reverse order are handed on in offset order', async () => {
    const held: Array<() => void> = [];
    const { c } = await peerWith((m, p) => {
      const n = m.offset < 600n ? CHUNK : 10;
      const fill = Number(m.offset / BigInt(CHUNK));
      held.push(() => p.reply({ type: 'Rread', tag: m.tag, data: new Uint8Array(n).fill(fill) }));
      // answer each batch of two last-first
      if (held.length === 2) for (const r of held.splice(0).reverse()) r();
    });
    const firsts: number[] = [];
    const total = await readWindow(c, opts(2000), (b) => firsts.push(b[0]!));
    expect(total).toBe(6 * CHUNK + 10);
    expect(firsts).toEqual([0, 1, 2, 3, 4, 5, 6]);
    c.close();
  });
});
