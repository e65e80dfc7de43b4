// 9P conformance checks that run against any 9P2000 or 9P2000.L server named
// by a NinepServerConfig. The list follows QEMU's virtio-9p qtest (walk of 16,
// names with '/', '..' at the root, partial walk, flush success / ignored,
// readdir split), diod's tflush test (100 pipelined requests, one flush) and
// the Rust `ninep` server cases (attach before version, unknown fid, open of an
// open fid, double clunk, write to a directory, create named '.' or '..').
// Each check throws ProductError with the frames it exchanged.
import { ProductError } from '../errors.ts';
import { NinepRemoteError, NinepConnectionError, NinepError } from '../../contract/ninep/errors.ts';
import { decodeDirents, decodeStats, NOFID, NOTAG, type Message } from '../../contract/ninep/codec.ts';
import { RawConnection, type RawEvent } from './raw.ts';
import type { NinepFs } from '../../contract/ninep/fs.ts';
import { endpointOf, openSession, scratchName } from './target.ts';
import type { NinepServerConfig } from '../../contract/ninep/server-config.ts';

export interface CheckContext {
  cfg: NinepServerConfig;
  /** transcripts of the connections the check used, for evidence */
  transcripts: string[];
}

const isErrorReply = (e: RawEvent, tag: number) =>
  e.kind === 'frame' &&
  e.message.tag === tag &&
  (e.message.type === 'Rerror' || e.message.type === 'Rlerror');
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

async function session(ctx: CheckContext): Promise<NinepFs> {
  const fs = await openSession(ctx.cfg);
  ctx.transcripts.push(`-- session ${fs.client.description}`);
  return fs;
}

function keep(ctx: CheckContext, fs: NinepFs): void {
  ctx.transcripts.push(fs.client.transcript.text());
  fs.client.close();
}

/** Expect a request to fail with an error reply (Rerror/Rlerror) or a closed connection, never success. */
async function expectRefused(ctx: CheckContext, what: string, p: Promise<unknown>): Promise<void> {
  const r = await p.then(
    (v) => ({ ok: true as const, v }),
    (e: unknown) => ({ ok: false as const, e }),
  );
  if (r.ok) fail(ctx, `${what} succeeded; the server must refuse it`);
  if (!(r.e instanceof NinepRemoteError || r.e instanceof NinepConnectionError)) {
    if (r.e instanceof NinepError) fail(ctx, `${what}: the server broke the protocol: ${r.e.message}`);
    throw r.e;
  }
}

/** Raw session: versioned and attached; returns the connection and the root fid (1). */
async function rawSession(ctx: CheckContext): Promise<RawConnection> {
  const c = await RawConnection.open(endpointOf(ctx.cfg), ctx.cfg.dialect, ctx.cfg.timeoutMs ?? 3000);
  const v = await c.request({ type: 'Tversion', tag: NOTAG, msize: 8192 + 24, version: ctx.cfg.dialect });
  if (v.kind !== 'frame' || v.message.type !== 'Rversion') fail(ctx, `Tversion was answered with ${show(v)}`);
  const a = await c.request(attachMsg(ctx, 1, 1));
  if (a.kind !== 'frame' || a.message.type !== 'Rattach') fail(ctx, `Tattach was answered with ${show(a)}`);
  return c;
}

function attachMsg(ctx: CheckContext, tag: number, fid: number): Message {
  const { uname, aname = '' } = ctx.cfg;
  return ctx.cfg.dialect === '9P2000.L'
    ? {
        type: 'TattachL',
        tag,
        fid,
        afid: NOFID,
        uname,
        aname,
        nUname: ctx.cfg.nUname ?? process.getuid?.() ?? 0,
      }
    : { type: 'Tattach', tag, fid, afid: NOFID, uname, aname };
}

/** The names in a writable scratch directory made for one check; removed by cleanup(). */
async function scratchDir(
  fs: NinepFs,
  ctx: CheckContext,
  prefix: string,
): Promise<{ path: string; cleanup(): Promise<void> }> {
  const path = `${ctx.cfg.writableDir.replace(/\/$/, '')}/${scratchName(prefix)}`;
  await fs.mkdir(path);
  return {
    path,
    async cleanup() {
      const rm = async (p: string): Promise<void> => {
        const entries = await fs.list(p).catch(() => []);
        for (const e of entries)
          await (e.isDir ? rm(`${p}/${e.name}`) : fs.remove(`${p}/${e.name}`).catch(() => undefined));
        await fs.remove(p).catch(() => undefined);
      };
      await rm(path);
    },
  };
}

export const conformance = {
  async attachBeforeVersion(ctx: CheckContext): Promise<void> {
    const c = await RawConnection.open(endpointOf(ctx.cfg), ctx.cfg.dialect, ctx.cfg.timeoutMs ?? 3000);
    try {
      const e = await c.request(attachMsg(ctx, 1, 1));
      if (!isErrorReply(e, 1) && e.kind !== 'closed')
        fail(
          ctx,
          `Tattach before Tversion was answered with ${show(e)}; expected an error or a closed connection`,
        );
    } finally {
      ctx.transcripts.push(c.transcript.text());
      c.close();
    }
  },

  async unknownVersion(ctx: CheckContext): Promise<void> {
    const c = await RawConnection.open(endpointOf(ctx.cfg), ctx.cfg.dialect, ctx.cfg.timeoutMs ?? 3000);
    try {
      const e = await c.request({ type: 'Tversion', tag: NOTAG, msize: 8192, version: 'XQA-not-9P' });
      if (e.kind !== 'frame' || e.message.type !== 'Rversion' || e.message.version !== 'unknown') {
        fail(
          ctx,
          `Tversion "XQA-not-9P" was answered with ${e.kind === 'frame' && e.message.type === 'Rversion' ? `version ${JSON.stringify(e.message.version)}` : show(e)}; expected version "unknown"`,
        );
      }
    } finally {
      ctx.transcripts.push(c.transcript.text());
      c.close();
    }
  },

  async walkOf16(ctx: CheckContext): Promise<void> {
    const fs = await session(ctx);
    const dir = await scratchDir(fs, ctx, 'walk16');
    try {
      const names = Array.from({ length: 16 }, (_, i) => `w${i}`);
      let p = dir.path;
      for (const n of names) await fs.mkdir((p = `${p}/${n}`));
      const from = await fs.walk(dir.path);
      const r = await fs.client.rpc<'Rwalk'>({
        type: 'Twalk',
        fid: from,
        newfid: fs.client.allocFid(),
        wnames: names,
      });
      if (r.qids.length !== 16) fail(ctx, `a walk of 16 existing names returned ${r.qids.length} qids`);
      await fs.clunk(from);
    } finally {
      await dir.cleanup();
      keep(ctx, fs);
    }
  },

  async walkOf17Refused(ctx: CheckContext): Promise<void> {
    const fs = await session(ctx);
    try {
      const newfid = fs.client.allocFid();
      await expectRefused(
        ctx,
        'a Twalk of 17 names',
        fs.client.rpc({
          type: 'Twalk',
          fid: fs.rootFid,
          newfid,
          wnames: Array.from({ length: 17 }, () => '..'),
        }),
      );
    } finally {
      keep(ctx, fs);
    }
  },

  async slashInNameRefused(ctx: CheckContext): Promise<void> {
    const fs = await session(ctx);
    try {
      const first = ctx.cfg.writableDir.split('/').filter(Boolean)[0] ?? 'tmp';
      await expectRefused(
        ctx,
        `a Twalk of the name "${first}/x"`,
        fs.client.rpc({
          type: 'Twalk',
          fid: fs.rootFid,
          newfid: fs.client.allocFid(),
          wnames: [`${first}/x`],
        }),
      );
    } finally {
      keep(ctx, fs);
    }
  },

  async dotdotAtRoot(ctx: CheckContext): Promise<void> {
    const fs = await session(ctx);
    try {
      const r = await fs.client.rpc<'Rwalk'>({
        type: 'Twalk',
        fid: fs.rootFid,
        newfid: fs.client.allocFid(),
        wnames: ['..', '..'],
      });
      if (r.qids.length !== 2) fail(ctx, `walk of '..','..' from the root returned ${r.qids.length} qids`);
      for (const q of r.qids)
        if (q.path !== fs.rootQid.path)
          fail(
            ctx,
            `'..' at the root went to qid path ${q.path.toString(16)}, not the root ${fs.rootQid.path.toString(16)}`,
          );
    } finally {
      keep(ctx, fs);
    }
  },

  async partialWalk(ctx: CheckContext): Promise<void> {
    const fs = await session(ctx);
    const dir = await scratchDir(fs, ctx, 'partial');
    try {
      await fs.mkdir(`${dir.path}/exists`);
      const from = await fs.walk(dir.path);
      const newfid = fs.client.allocFid();
      const r = await fs.client.rpc<'Rwalk'>({
        type: 'Twalk',
        fid: from,
        newfid,
        wnames: ['exists', 'missing', 'deeper'],
      });
      if (r.qids.length !== 1)
        fail(ctx, `a walk failing at its second name returned ${r.qids.length} qids, expected 1`);
      fs.client.forgetFid(newfid);
      // the newfid must not have been created by a partial walk
      await expectRefused(
        ctx,
        'a Tclunk of the newfid of a partial walk',
        fs.client.rpc({ type: 'Tclunk', fid: newfid }),
      );
      await fs.clunk(from);
    } finally {
      await dir.cleanup();
      keep(ctx, fs);
    }
  },

  async flushSuccess(ctx: CheckContext): Promise<void> {
    const c = await rawSession(ctx);
    try {
      const stat: Message =
        ctx.cfg.dialect === '9P2000.L'
          ? { type: 'Tgetattr', tag: 10, fid: 1, requestMask: 0x7ffn }
          : { type: 'Tstat', tag: 10, fid: 1 };
      c.send(stat);
      c.send({ type: 'Tflush', tag: 11, oldtag: 10 });
      let sawFlush = false;
      while (!sawFlush) {
        const e = await c.next();
        if (e.kind !== 'frame') fail(ctx, `waiting for Rflush: ${show(e)}`);
        if (e.message.tag === 11) {
          if (e.message.type !== 'Rflush')
            fail(ctx, `Tflush was answered with ${e.message.type}; Rflush is never an error`);
          sawFlush = true;
        } else if (e.message.tag !== 10) fail(ctx, `unexpected reply ${show(e)}`);
      }
      // a reply to the flushed request may only come before its Rflush
      const late = await c.next(300);
      if (late.kind === 'frame' && late.message.tag === 10)
        fail(ctx, 'the flushed request was answered after its Rflush');
    } finally {
      ctx.transcripts.push(c.transcript.text());
      c.close();
    }
  },

  async flushIgnored(ctx: CheckContext): Promise<void> {
    const c = await rawSession(ctx);
    try {
      const e = await c.request({ type: 'Tflush', tag: 20, oldtag: 4321 });
      if (e.kind !== 'frame' || e.message.type !== 'Rflush')
        fail(ctx, `a Tflush of a tag not in flight was answered with ${show(e)}; expected Rflush`);
    } finally {
      ctx.transcripts.push(c.transcript.text());
      c.close();
    }
  },

  async pipelinedWithOneFlush(ctx: CheckContext): Promise<void> {
    const c = await rawSession(ctx);
    try {
      const n = 100;
      for (let tag = 100; tag < 100 + n; tag++) {
        c.send(
          ctx.cfg.dialect === '9P2000.L'
            ? { type: 'Tgetattr', tag, fid: 1, requestMask: 0x7ffn }
            : { type: 'Tstat', tag, fid: 1 },
        );
      }
      c.send({ type: 'Tflush', tag: 99, oldtag: 150 });
      const answered = new Set<number>();
      let flushed = false;
      const others = () => [...answered].filter((t) => t !== 150).length;
      while (!flushed || others() < n - 1) {
        const e = await c.next(5000);
        if (e.kind !== 'frame')
          fail(ctx, `after ${answered.size} replies${flushed ? ' and Rflush' : ''}: ${show(e)}`);
        if (e.message.tag === 99) {
          if (e.message.type !== 'Rflush') fail(ctx, `Tflush was answered with ${e.message.type}`);
          flushed = true;
        } else {
          if (answered.has(e.message.tag)) fail(ctx, `tag ${e.message.tag} was answered twice`);
          if (flushed && e.message.tag === 150)
            fail(ctx, 'the flushed request was answered after its Rflush');
          answered.add(e.message.tag);
        }
      }
      for (let tag = 100; tag < 100 + n; tag++)
        if (tag !== 150 && !answered.has(tag)) fail(ctx, `tag ${tag} was never answered`);
    } finally {
      ctx.transcripts.push(c.transcript.text());
      c.close();
    }
  },

  async readdirSplit(ctx: CheckContext): Promise<void> {
    const fs = await session(ctx);
    const dir = await scratchDir(fs, ctx, 'readdir');
    try {
      const want = Array.from(
        { length: 24 },
        (_, i) => `entry-with-a-long-name-${String(i).padStart(2, '0')}`,
      );
      for (const n of want) await fs.writeFile(`${dir.path}/${n}`, n);
      const f = await fs.open(dir.path, 'r', { directory: fs.dotL });
      const got: string[] = [];
      let reads = 0;
      const count = 200;
      if (fs.dotL) {
        let offset = 0n;
        for (;;) {
          const r = await fs.client.rpc<'Rreaddir'>({ type: 'Treaddir', fid: f.fid, offset, count });
          reads++;
          const ents = decodeDirents(r.data);
          if (ents.length === 0) break;
          got.push(...ents.map((e) => e.name).filter((x) => x !== '.' && x !== '..'));
          offset = ents[ents.length - 1]!.offset;
        }
      } else {
        let offset = 0n;
        for (;;) {
          const r = await fs.client.rpc<'Rread'>({ type: 'Tread', fid: f.fid, offset, count });
          reads++;
          if (r.data.length === 0) break;
          got.push(...decodeStats(r.data).map((s) => s.name));
          offset += BigInt(r.data.length);
        }
      }
      await fs.clunk(f.fid);
      if (reads < 3)
        fail(ctx, `24 entries came back in ${reads} reads of ${count} bytes; the listing was not split`);
      const sorted = [...got].sort();
      if (JSON.stringify(sorted) !== JSON.stringify(want))
        fail(
          ctx,
          `a split directory read returned ${got.length} names (${JSON.stringify(sorted.slice(0, 5))}…), expected each of the 24 once`,
        );
    } finally {
      await dir.cleanup();
      keep(ctx, fs);
    }
  },

  async unknownFid(ctx: CheckContext): Promise<void> {
    const fs = await session(ctx);
    try {
      await expectRefused(
        ctx,
        'a Tclunk of a fid never used',
        fs.client.rpc({ type: 'Tclunk', fid: 0x7eadbeef }),
      );
    } finally {
      keep(ctx, fs);
    }
  },

  async openOfOpenFid(ctx: CheckContext): Promise<void> {
    const fs = await session(ctx);
    const dir = await scratchDir(fs, ctx, 'open2');
    try {
      await fs.writeFile(`${dir.path}/f`, 'x');
      const f = await fs.open(`${dir.path}/f`, 'r');
      await expectRefused(ctx, 'opening an already open fid', fs.openFid(f.fid, 'r'));
      await fs.clunk(f.fid);
    } finally {
      await dir.cleanup();
      keep(ctx, fs);
    }
  },

  async doubleClunk(ctx: CheckContext): Promise<void> {
    const fs = await session(ctx);
    try {
      const fid = await fs.walk([]);
      await fs.clunk(fid);
      await expectRefused(ctx, 'a second Tclunk of the same fid', fs.client.rpc({ type: 'Tclunk', fid }));
    } finally {
      keep(ctx, fs);
    }
  },

  async writeToDirectory(ctx: CheckContext): Promise<void> {
    const fs = await session(ctx);
    const dir = await scratchDir(fs, ctx, 'wdir');
    try {
      const fid = await fs.walk(dir.path);
      const opened = await fs.openFid(fid, 'w').then(
        () => true,
        (e: unknown) => {
          if (!(e instanceof NinepRemoteError)) throw e;
          return false;
        },
      );
      if (opened) {
        await expectRefused(ctx, 'a Twrite to a directory', fs.write(fid, 0n, Buffer.from('x')));
      }
      await fs.clunk(fid).catch(() => undefined);
    } finally {
      await dir.cleanup();
      keep(ctx, fs);
    }
  },

  async createDotNames(ctx: CheckContext): Promise<void> {
    const fs = await session(ctx);
    const dir = await scratchDir(fs, ctx, 'dots');
    try {
      for (const name of ['.', '..']) {
        const fid = await fs.walk(dir.path);
        const p = fs.dotL
          ? fs.client.rpc({
              type: 'Tlcreate',
              fid,
              name,
              flags: 0o101,
              mode: 0o644,
              gid: process.getgid?.() ?? 0,
            })
          : fs.client.rpc({ type: 'Tcreate', fid, name, perm: 0o644, mode: 1 });
        await expectRefused(ctx, `creating a file named "${name}"`, p);
        await fs.clunk(fid).catch(() => undefined);
      }
    } finally {
      await dir.cleanup();
      keep(ctx, fs);
    }
  },
} satisfies Record<string, (ctx: CheckContext) => Promise<void>>;

export type ConformanceCheck = keyof typeof conformance;
