// The streaming read behind NinepFs.readChunks: `window` Treads in flight, replies handed on in
// offset order. It uses the client's callback request path (client.send): per Tread there is
// no promise, no timer and no abort listener, since at tens of thousands of replies a second
// those were most of the client's CPU. The bounds are kept by ONE timer and ONE listener for
// the whole window: the timer runs from the moment the oldest read in flight became the one
// awaited (refreshed when it is answered), so a reply that never comes still ends the read
// within the per-request bound, with a NinepTimeoutError naming that Tread; the caller's
// signal (NinepFs.bounded's deadlineMs) ends it the same way. On any end, reads still in
// flight are flushed (client.abandon) and lent data already received is handed back.
import type { NinepClient } from './client.ts';
import { summarize, type Message } from './codec.ts';
import { NinepLimitError, NinepTimeoutError } from './errors.ts';

export interface WindowReadOptions {
  fid: number;
  /** bytes asked for per Tread (the file's iounit) */
  chunk: number;
  window: number;
  maxBytes: number;
  /** hand replies' data back to the client after onChunk (transient pieces) */
  lend: boolean;
  /** bound on the wait for the oldest read in flight, in ms */
  timeoutMs: number;
  signal?: AbortSignal;
  /** how the file is named in errors */
  shown: string;
}

interface Slot {
  tag: number;
  offset: bigint;
  ready: boolean;
  data?: Buffer;
  err?: Error;
  /** made once per slot, so a Tread allocates no callback of its own here */
  done: (err: Error | undefined, m?: Message) => void;
}

export function readWindow(
  client: NinepClient,
  o: WindowReadOptions,
  onChunk: (b: Buffer, offset: number) => void,
): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    const { fid, chunk, window, lend } = o;
    // the window is refilled in batches of half its size rather than one read per reply: the
    // reads of a batch leave in one write (the transport coalesces a turn's frames)
    const batch = Math.max(1, window >> 1);
    let next = 0n;
    let total = 0;
    let eof = false;
    let finished = false;
    let draining = false;
    let head = 0;
    let count = 0;
    const slots: Slot[] = [];
    for (let i = 0; i < window; i++) {
      const s: Slot = { tag: 0, offset: 0n, ready: false, done: (err, m) => onReply(s, err, m) };
      slots.push(s);
    }
    const describe = (s: Slot) =>
      summarize({ type: 'Tread', tag: s.tag, fid, offset: s.offset, count: chunk } as Message);
    const giveUp = (why: string) => {
      const s = slots[head]!;
      finish(
        new NinepTimeoutError(
          `${describe(s)}: ${why}; Tflush sent. Last frames:\n${client.transcript.text(8)}`,
        ),
      );
    };
    const onAbort = () => giveUp('cancelled');
    const timer = setTimeout(() => giveUp(`no reply within ${o.timeoutMs} ms`), o.timeoutMs);
    const finish = (err?: Error) => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      o.signal?.removeEventListener('abort', onAbort);
      for (; count > 0; count--, head = (head + 1) % window) {
        const s = slots[head]!;
        if (!s.ready) client.abandon(s.tag);
        else if (lend && s.data) client.releaseData(s.data);
        s.ready = false;
        s.data = undefined;
        s.err = undefined;
      }
      if (err) reject(err);
      else resolve(total);
    };
    const issue = () => {
      if (finished) return;
      const s = slots[(head + count) % window]!;
      count++;
      s.offset = next;
      next += BigInt(chunk);
      s.tag = client.send({ type: 'Tread', fid, offset: s.offset, count: chunk }, lend, s.done);
    };
    function onReply(s: Slot, err: Error | undefined, m?: Message): void {
      if (finished) return;
      s.ready = true;
      s.err = err;
      if (m && m.type === 'Rread') s.data = Buffer.from(m.data.buffer, m.data.byteOffset, m.data.byteLength);
      if (s === slots[head] && !draining) drain();
    }
    function drain(): void {
      draining = true;
      try {
        let advanced = false;
        while (count > 0 && !finished) {
          const s = slots[head]!;
          if (!s.ready) break;
          head = (head + 1) % window;
          count--;
          advanced = true;
          const b = s.data!;
          s.ready = false;
          s.data = undefined;
          if (s.err) return finish(s.err);
          if (eof) {
            if (lend) client.releaseData(b);
            continue;
          }
          if (total + b.length > o.maxBytes) {
            if (lend) client.releaseData(b);
            return finish(
              new NinepLimitError(
                o.maxBytes,
                `${o.shown} is longer than the ${o.maxBytes}-byte cap of this read (maxBytes); stopped at offset ${total}`,
              ),
            );
          }
          try {
            if (b.length > 0) onChunk(b, total);
          } finally {
            if (lend) client.releaseData(b);
          }
          total += b.length;
          if (b.length < chunk) eof = true;
          else if (window - count >= batch) while (count < window) issue();
        }
        if (finished) return;
        if (count === 0) finish();
        else if (advanced) timer.refresh();
      } catch (e) {
        finish(e as Error);
      } finally {
        draining = false;
      }
    }
    if (o.signal?.aborted)
      return finish(new NinepTimeoutError(`read of ${o.shown} cancelled before it was sent`));
    o.signal?.addEventListener('abort', onAbort, { once: true });
    draining = true;
    try {
      for (let i = 0; i < window; i++) issue();
    } catch (e) {
      finish(e as Error);
    } finally {
      draining = false;
    }
    // replies that failed at once (a closed connection) are handed on now
    if (!finished && slots[head]!.ready) drain();
  });
}
