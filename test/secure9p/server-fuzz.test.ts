// The reference server fed malformed frames must stay up, answer only with
// well-formed 9P (or close the connection), and serve a well-formed client
// afterwards. Run count: SECURE9P_FUZZ_RUNS; by default 100 000 when CI is set
// (.ci/run exports CI=true), else 20 000 to keep local runs quick.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import net from 'node:net';
import { decode, encode, NOFID, type Message } from '../../contract/ninep/codec.ts';
import { Framer } from '../../contract/ninep/framer.ts';
import { memoryTransportPair } from '../../contract/ninep/transport.ts';
import { attachAs, referenceServerPerFile } from './helpers.ts';

const RUNS = Number(process.env.SECURE9P_FUZZ_RUNS ?? (process.env.CI ? 100_000 : 20_000));

const reference = referenceServerPerFile('cohesix-s9p-fuzz-');

const SEEDS: Message[] = [
  { type: 'Tversion', tag: 0xffff, msize: 8192, version: '9P2000' },
  { type: 'Tattach', tag: 1, fid: 1, afid: NOFID, uname: 'drone_worker', aname: '' },
  { type: 'Twalk', tag: 2, fid: 1, newfid: 2, wnames: ['sim', 'data'] },
  { type: 'Topen', tag: 3, fid: 2, mode: 0 },
  { type: 'Tread', tag: 4, fid: 2, offset: 0n, count: 100 },
  { type: 'Twrite', tag: 5, fid: 2, offset: 0n, data: new Uint8Array([1, 2, 3]) },
  { type: 'Tcreate', tag: 6, fid: 1, name: 'x', perm: 0o644, mode: 1 },
  { type: 'Tstat', tag: 7, fid: 1 },
  { type: 'Tflush', tag: 8, oldtag: 4 },
  { type: 'Tclunk', tag: 9, fid: 2 },
  { type: 'Tremove', tag: 10, fid: 2 },
];
const PRELUDE = Buffer.concat([encode(SEEDS[0]!), encode(SEEDS[1]!)]);

const frame = fc.oneof(
  // a mutated well-formed request
  fc
    .record({ seed: fc.nat(SEEDS.length - 1), at: fc.nat(64), value: fc.nat(255), cut: fc.nat(80) })
    .map(({ seed, at, value, cut }) => {
      const b = Buffer.from(encode(SEEDS[seed]!));
      b[at % b.length] = value;
      return cut < 40 ? b.subarray(0, Math.max(1, cut % b.length)) : b;
    }),
  // any type byte with an arbitrary body and a correct size
  fc
    .record({ type: fc.nat(255), tag: fc.nat(0xffff), body: fc.uint8Array({ maxLength: 48 }) })
    .map(({ type, tag, body }) => {
      const b = Buffer.alloc(7 + body.length);
      b.writeUInt32LE(b.length, 0);
      b[4] = type;
      b.writeUInt16LE(tag, 5);
      b.set(body, 7);
      return b;
    }),
  // raw garbage
  fc.uint8Array({ minLength: 1, maxLength: 48 }).map((u) => Buffer.from(u)),
);

describe('reference server fuzz', () => {
  it(`${RUNS} malformed frames: only well-formed replies or a close, and the server keeps serving`, async () => {
    let closes = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.boolean(),
        fc.array(frame, { minLength: 1, maxLength: 3 }),
        async (withPrelude, frames) => {
          const [client, server] = memoryTransportPair();
          const replies = new Framer(1 << 20);
          let closed = false;
          // problems are collected, not thrown: a throw here would unwind into the server's send()
          const bad: string[] = [];
          client.onData((chunk) => {
            const { frames: out, error } = replies.push(chunk);
            if (error) bad.push(`bad frame header: ${error.message}`);
            for (const f of out) {
              try {
                decode(f, '9P2000');
              } catch (e) {
                bad.push(`malformed reply: ${(e as Error).message}`);
              }
            }
          });
          client.onClose(() => (closed = true));
          reference().server.serveTransport(server, 'plain');
          if (withPrelude) client.write(PRELUDE);
          for (const f of frames) if (!closed) client.write(f);
          if (closed) closes++;
          client.close();
          if (bad.length) throw new Error(bad.join('; '));
        },
      ),
      { numRuns: RUNS },
    );
    expect(closes).toBeGreaterThan(0);

    // over real sockets too: a few hundred hostile connections to the plain listener
    const samples = fc.sample(frame, 300);
    await Promise.all(
      samples.map(
        (f) =>
          new Promise<void>((resolve) => {
            const s = net.connect(
              { host: reference().server.host, port: reference().server.plainPort! },
              () => s.end(Buffer.concat([PRELUDE, f])),
            );
            s.on('data', () => undefined);
            s.on('error', () => resolve());
            s.on('close', () => resolve());
            setTimeout(() => {
              s.destroy();
              resolve();
            }, 3000);
          }),
      ),
    );

    const fs = await attachAs(reference().server, reference().pki, 'drone_worker');
    try {
      expect((await fs.readFile('/sim/data/frame-0001.json')).toString()).toContain('drone_worker');
    } finally {
      fs.client.close();
    }
  }, 600_000);
});
