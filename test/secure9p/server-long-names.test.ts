// Frames of 65 525 bytes carrying one huge client string (a uname, a walk name
// that JSON-escaping grows six-fold, a file name) used to make the reference
// server throw inside its error path: the error text no longer fit a 9P string
// and the exception ended the whole process (the QA run with it). Each must now
// get an Rerror that fits msize, and the server must go on serving the same
// connection and new ones. Real sockets: an exception escaping the server's
// data handler would fail this test file, not pass silently.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { encode, NOFID, type Message } from '../../contract/ninep/codec.ts';
import { RawConnection, type RawEvent } from '../../harness/ninep/raw.ts';
import { clipText } from '../../reference/secure9p/bounded-text.ts';
import { referenceServerPerFile } from './helpers.ts';

const MSIZE = 65536 + 24;
const FRAME = 65_525;

const reference = referenceServerPerFile('cohesix-s9p-long-');

const show = (e: RawEvent) =>
  e.kind === 'frame' ? `${e.message.type} (${encode(e.message).length} bytes)` : e.kind;

async function connect(attachAs?: string): Promise<RawConnection> {
  const c = await RawConnection.open(
    { transport: 'tcp', host: reference().server.host, port: reference().server.plainPort! },
    '9P2000',
    5000,
  );
  const v = await c.request({ type: 'Tversion', tag: 0xffff, msize: MSIZE, version: '9P2000' });
  if (v.kind !== 'frame' || v.message.type !== 'Rversion' || v.message.msize !== MSIZE)
    throw new Error(`expected Rversion with msize ${MSIZE}, got ${show(v)}`);
  if (attachAs) {
    const a = await c.request({ type: 'Tattach', tag: 1, fid: 1, afid: NOFID, uname: attachAs, aname: '' });
    if (a.kind !== 'frame' || a.message.type !== 'Rattach')
      throw new Error(`attach as ${attachAs} was answered with ${show(a)}`);
  }
  return c;
}

/** A string of `n` bytes: ASCII, or a control character that JSON escapes as \u0001 (6 bytes). */
const long = (n: number, escaped: boolean) => (escaped ? '\u0001' : 'A').repeat(n);

// each case: the frame (exactly FRAME bytes), whether to attach first, what the error says
const CASES: Array<{ name: string; attach: boolean; frame: (escaped: boolean) => Message; says: RegExp }> = [
  {
    name: 'Tattach with a long uname',
    attach: false,
    // size[4] type[1] tag[2] fid[4] afid[4] uname[2+n] aname[2]
    frame: (e) => ({ type: 'Tattach', tag: 2, fid: 2, afid: NOFID, uname: long(FRAME - 19, e), aname: '' }),
    says: /permission denied: attach .*has no namespace/s,
  },
  {
    name: 'Tauth with a long uname',
    attach: false,
    // size[4] type[1] tag[2] afid[4] uname[2+n] aname[2]
    frame: (e) => ({ type: 'Tauth', tag: 2, afid: 5, uname: long(FRAME - 15, e), aname: '' }),
    says: /no Tauth needed/,
  },
  {
    name: 'Twalk with a long name',
    attach: true,
    // size[4] type[1] tag[2] fid[4] newfid[4] nwname[2] wname[2+n]
    frame: (e) => ({ type: 'Twalk', tag: 2, fid: 1, newfid: 2, wnames: [long(FRAME - 19, e)] }),
    says: /file does not exist: .*bytes, cut/s,
  },
  {
    name: "Tcreate with a long name containing '/'",
    attach: true,
    // size[4] type[1] tag[2] fid[4] name[2+n] perm[4] mode[1]
    frame: (e) => ({
      type: 'Tcreate',
      tag: 2,
      fid: 1,
      name: long(FRAME - 19, e) + '/',
      perm: 0o644,
      mode: 1,
    }),
    says: /illegal file name .*cut/s,
  },
];

describe('reference Secure9P server: 65 525-byte frames with one huge client string', () => {
  for (const c of CASES) {
    for (const escaped of [false, true]) {
      it(`${c.name} (${escaped ? 'JSON-escaped control characters' : 'ASCII'}) gets an Rerror within msize and the server keeps serving`, async () => {
        const bystander = await connect('drone_worker');
        const conn = await connect(c.attach ? 'drone_worker' : undefined);
        const m = c.frame(escaped);
        const bytes = encode(m);
        expect(bytes.length).toBe(FRAME);
        const r = await conn.request(m, 5000);
        if (r.kind !== 'frame' || r.message.type !== 'Rerror')
          throw new Error(`${c.name} should be answered with Rerror, got ${show(r)}`);
        expect(encode(r.message).length).toBeLessThanOrEqual(MSIZE);
        expect(r.message.ename).toMatch(c.says);
        // the same connection still serves: stat of the root (fid 1 when attached, else a fresh attach)
        const after = c.attach
          ? await conn.request({ type: 'Tstat', tag: 3, fid: 1 })
          : await conn.request({
              type: 'Tattach',
              tag: 3,
              fid: 1,
              afid: NOFID,
              uname: 'drone_worker',
              aname: '',
            });
        expect(show(after)).toMatch(c.attach ? /^Rstat/ : /^Rattach/);
        // a connection opened before, and one opened after, both still work
        expect(show(await bystander.request({ type: 'Tstat', tag: 4, fid: 1 }))).toMatch(/^Rstat/);
        const fresh = await connect('drone_worker');
        expect(show(await fresh.request({ type: 'Tstat', tag: 4, fid: 1 }))).toMatch(/^Rstat/);
        for (const x of [bystander, conn, fresh]) x.close();
      }, 20_000);
    }
  }

  it('log lines written for such frames stay bounded', () => {
    for (const f of [reference().server.logs.plain, reference().server.logs.trace]) {
      const longest = Math.max(
        0,
        ...readFileSync(f, 'utf8')
          .split('\n')
          .map((l) => Buffer.byteLength(l)),
      );
      expect(longest, `longest line of ${f}`).toBeLessThan(8192);
    }
  });
});

describe('clipText', () => {
  it('cuts on a character boundary, marks the cut and never exceeds the bound', () => {
    const s = 'é'.repeat(5000);
    for (const max of [1, 2, 7, 40, 255, 2048]) {
      const out = clipText(s, max);
      expect(Buffer.byteLength(out)).toBeLessThanOrEqual(max);
      expect(out).not.toContain('\uFFFD');
    }
    expect(clipText(s, 255)).toMatch(/… \(10000 bytes, cut\)$/);
    expect(clipText('short', 10)).toBe('short');
  });
});
