// Hostile-input checks against any 9P server: short and oversized frames, a
// size that disagrees with the bytes sent, strings past the end, unknown
// types, an R-message sent as a request, tag reuse in flight, a walk of 17 and
// bad fids. For each, the server must answer with an error or close that
// connection, and keep serving others: a bystander connection opened before the
// attack and a fresh one opened after must both still work.
import { ProductError } from '../errors.ts';
import { encode, rawFrame, NOFID, NOTAG, type Message } from '../../contract/ninep/codec.ts';
import { RawConnection, type RawEvent } from './raw.ts';
import { endpointOf, openSession } from './target.ts';
import type { CheckContext } from './conformance.ts';

const show = (e: RawEvent) =>
  e.kind === 'frame'
    ? `${e.message.type} tag ${e.message.tag}`
    : e.kind === 'garbage'
      ? `undecodable frame (${e.why})`
      : e.kind === 'timeout'
        ? `nothing within ${e.waitedMs} ms`
        : 'connection closed';

function fail(ctx: CheckContext, what: string): never {
  throw new ProductError(`${ctx.cfg.name}: ${what}`);
}

async function raw(ctx: CheckContext, attach: boolean): Promise<RawConnection> {
  const c = await RawConnection.open(endpointOf(ctx.cfg), ctx.cfg.dialect, ctx.cfg.timeoutMs ?? 3000);
  const v = await c.request({ type: 'Tversion', tag: NOTAG, msize: 8192 + 24, version: ctx.cfg.dialect });
  if (v.kind !== 'frame' || v.message.type !== 'Rversion') fail(ctx, `Tversion was answered with ${show(v)}`);
  if (attach) {
    const { uname, aname = '' } = ctx.cfg;
    const m: Message =
      ctx.cfg.dialect === '9P2000.L'
        ? {
            type: 'TattachL',
            tag: 1,
            fid: 1,
            afid: NOFID,
            uname,
            aname,
            nUname: ctx.cfg.nUname ?? process.getuid?.() ?? 0,
          }
        : { type: 'Tattach', tag: 1, fid: 1, afid: NOFID, uname, aname };
    const a = await c.request(m);
    if (a.kind !== 'frame' || a.message.type !== 'Rattach') fail(ctx, `Tattach was answered with ${show(a)}`);
  }
  return c;
}

/** Wait for an error reply carrying `tag` or a close; any success reply or silence fails. */
async function expectErrorOrClose(
  ctx: CheckContext,
  c: RawConnection,
  what: string,
  tag: number | undefined,
  waitMs = 3000,
): Promise<void> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const e = await c.next(Math.max(1, deadline - Date.now()));
    if (e.kind === 'closed') return;
    if (e.kind === 'timeout') fail(ctx, `${what}: neither an error nor a close within ${waitMs} ms`);
    if (e.kind === 'garbage') fail(ctx, `${what}: the server answered with an undecodable frame (${e.why})`);
    if (e.message.type === 'Rerror' || e.message.type === 'Rlerror') {
      if (tag === undefined || e.message.tag === tag) return;
      continue;
    }
    fail(ctx, `${what}: the server answered ${show(e)} instead of an error`);
  }
}

/** The server still serves: the bystander connection and a fresh one both work. */
async function stillServes(
  ctx: CheckContext,
  bystander: Awaited<ReturnType<typeof openSession>>,
): Promise<void> {
  try {
    await bystander.stat('/');
  } catch (e) {
    fail(ctx, `a bystander connection stopped working after the hostile input: ${(e as Error).message}`);
  }
  const fresh = await openSession(ctx.cfg).catch((e: Error) =>
    fail(ctx, `a new connection failed after the hostile input: ${e.message}`),
  );
  try {
    await fresh.stat('/');
  } finally {
    fresh.client.close();
  }
}

async function attack(
  ctx: CheckContext,
  opts: { attach: boolean },
  body: (c: RawConnection) => Promise<void>,
): Promise<void> {
  const bystander = await openSession(ctx.cfg);
  const c = await raw(ctx, opts.attach);
  try {
    await body(c);
  } finally {
    ctx.transcripts.push(c.transcript.text());
    c.close();
  }
  try {
    await stillServes(ctx, bystander);
  } finally {
    bystander.client.close();
  }
}

function sizeField(frame: Buffer, size: number): Buffer {
  const b = Buffer.from(frame);
  b.writeUInt32LE(size >>> 0, 0);
  return b;
}

export const hostile = {
  async shortFrame(ctx: CheckContext): Promise<void> {
    await attack(ctx, { attach: false }, async (c) => {
      c.sendBytes(Buffer.from([4, 0, 0, 0, 0xff, 0xff, 0xff]), 'size 4 (below the 7-byte header)');
      await expectErrorOrClose(ctx, c, 'a frame whose size is 4', undefined);
    });
  },

  async headerOnly(ctx: CheckContext): Promise<void> {
    await attack(ctx, { attach: true }, async (c) => {
      c.sendBytes(rawFrame(120, 7), 'Tclunk with no fid');
      await expectErrorOrClose(ctx, c, 'a Tclunk frame without its fid', 7);
    });
  },

  async oversizedFrame(ctx: CheckContext): Promise<void> {
    await attack(ctx, { attach: true }, async (c) => {
      const head = Buffer.alloc(7);
      head.writeUInt32LE(0x7fffffff, 0);
      head.writeUInt8(118, 4);
      head.writeUInt16LE(8, 5);
      c.sendBytes(Buffer.concat([head, Buffer.alloc(64)]), 'Twrite claiming 2 GiB');
      c.end();
      await expectErrorOrClose(ctx, c, 'a frame claiming 2 GiB', undefined);
    });
  },

  async sizeBelowBytesSent(ctx: CheckContext): Promise<void> {
    await attack(ctx, { attach: true }, async (c) => {
      const f = encode({ type: 'Tclunk', tag: 9, fid: 1 });
      c.sendBytes(sizeField(f, f.length - 2), 'Tclunk with size 2 short');
      c.end();
      await expectErrorOrClose(ctx, c, 'a frame whose size is smaller than the bytes sent', 9);
    });
  },

  async sizeAboveBytesSent(ctx: CheckContext): Promise<void> {
    await attack(ctx, { attach: true }, async (c) => {
      const f = encode({ type: 'Tclunk', tag: 9, fid: 1 });
      c.sendBytes(sizeField(f, f.length + 40), 'Tclunk with size 40 too long');
      c.end();
      await expectErrorOrClose(ctx, c, 'a frame whose size promises bytes never sent (then EOF)', 9);
    });
  },

  async stringPastEnd(ctx: CheckContext): Promise<void> {
    await attack(ctx, { attach: true }, async (c) => {
      const f = encode({ type: 'Twalk', tag: 12, fid: 1, newfid: 2, wnames: ['abc'] });
      // nwname at 15, then wname[0] length at 17
      f.writeUInt16LE(500, 17);
      c.sendBytes(f, 'Twalk whose name length runs past the frame');
      await expectErrorOrClose(ctx, c, 'a string whose length runs past the frame', 12);
    });
  },

  async unknownType(ctx: CheckContext): Promise<void> {
    await attack(ctx, { attach: true }, async (c) => {
      c.sendBytes(rawFrame(250, 13, new Uint8Array([1, 2, 3, 4])), 'type 250');
      await expectErrorOrClose(ctx, c, 'an unknown message type (250)', 13);
    });
  },

  async replyAsRequest(ctx: CheckContext): Promise<void> {
    await attack(ctx, { attach: true }, async (c) => {
      c.send({ type: 'Rwalk', tag: 14, qids: [] });
      await expectErrorOrClose(ctx, c, 'an R-message (Rwalk) sent as a request', 14);
    });
  },

  async tagReuseInFlight(ctx: CheckContext): Promise<void> {
    await attack(ctx, { attach: true }, async (c) => {
      const stat: Message =
        ctx.cfg.dialect === '9P2000.L'
          ? { type: 'Tgetattr', tag: 15, fid: 1, requestMask: 0x7ffn }
          : { type: 'Tstat', tag: 15, fid: 1 };
      c.send(stat);
      c.send(stat);
      // any answers are fine (the client broke the rules); silence is not
      let answered = 0;
      while (answered < 2) {
        const e = await c.next(3000);
        if (e.kind === 'closed') return;
        if (e.kind === 'timeout') {
          if (answered > 0) return;
          fail(ctx, 'two requests with the same tag got no answer at all');
        }
        answered++;
      }
    });
  },

  async walkOf17(ctx: CheckContext): Promise<void> {
    await attack(ctx, { attach: true }, async (c) => {
      c.send({ type: 'Twalk', tag: 16, fid: 1, newfid: 2, wnames: Array.from({ length: 17 }, () => '..') });
      await expectErrorOrClose(ctx, c, 'a Twalk of 17 names', 16);
    });
  },

  async badFids(ctx: CheckContext): Promise<void> {
    await attack(ctx, { attach: true }, async (c) => {
      const reqs: Message[] = [
        { type: 'Tclunk', tag: 17, fid: 0x6bad },
        { type: 'Twalk', tag: 18, fid: 0x6bad, newfid: 0x6bae, wnames: [] },
        { type: 'Tread', tag: 19, fid: 0x6bad, offset: 0n, count: 10 },
        { type: 'Tclunk', tag: 21, fid: NOFID },
      ];
      for (const m of reqs) {
        c.send(m);
        await expectErrorOrClose(ctx, c, `${m.type} with a bad fid`, m.tag);
        if (c.closed) return;
      }
    });
  },
} satisfies Record<string, (ctx: CheckContext) => Promise<void>>;

export type HostileCheck = keyof typeof hostile;
