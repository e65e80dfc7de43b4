// The client fed malformed replies must only ever fail with its own typed
// errors, never throw anything else and never hang. Run count: NINEP_FUZZ_RUNS;
// by default 100 000 (the figure the issue asks for, ~25 s on 2 cores) when CI is
// set (.ci/run exports CI=true), else 20 000 (~5 s) to keep local runs quick.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { NinepClient, type Request } from '../../contract/ninep/client.ts';
import { encode, type Message } from '../../contract/ninep/codec.ts';
import {
  NinepConnectionError,
  NinepError,
  NinepProtocolError,
  NinepRemoteError,
} from '../../contract/ninep/errors.ts';
import { memoryTransportPair } from '../../contract/ninep/transport.ts';
import { qid, stat } from './samples.ts';

const RUNS = Number(process.env.NINEP_FUZZ_RUNS ?? (process.env.CI ? 100_000 : 20_000));

// requests the client sends, paired with a valid reply to mutate
const PAIRS: Array<[Request, (tag: number) => Message]> = [
  [
    { type: 'Twalk', fid: 1, newfid: 2, wnames: ['a', 'b'] },
    (tag) => ({ type: 'Rwalk', tag, qids: [qid, qid] }),
  ],
  [
    { type: 'Tread', fid: 1, offset: 0n, count: 64 },
    (tag) => ({ type: 'Rread', tag, data: new Uint8Array(40).fill(7) }),
  ],
  [{ type: 'Tstat', fid: 1 }, (tag) => ({ type: 'Rstat', tag, stat })],
  [{ type: 'Topen', fid: 1, mode: 0 }, (tag) => ({ type: 'Ropen', tag, qid, iounit: 0 })],
  [{ type: 'Tclunk', fid: 1 }, (tag) => ({ type: 'Rerror', tag, ename: 'unknown fid' })],
  [
    { type: 'Twrite', fid: 1, offset: 0n, data: new Uint8Array(8) },
    (tag) => ({ type: 'Rwrite', tag, count: 8 }),
  ],
];

type Mutation =
  | { kind: 'truncate'; at: number }
  | { kind: 'size'; value: number }
  | { kind: 'flip'; at: number; value: number }
  | { kind: 'garbage'; bytes: Uint8Array }
  | { kind: 'append'; bytes: Uint8Array }
  | { kind: 'strlen'; value: number }
  | { kind: 'type'; value: number }
  | { kind: 'tag'; value: number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat(200) }),
  fc.record({ kind: fc.constant('size' as const), value: fc.oneof(fc.nat(20), fc.nat(0xffffffff)) }),
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(200), value: fc.nat(255) }),
  fc.record({ kind: fc.constant('garbage' as const), bytes: fc.uint8Array({ minLength: 0, maxLength: 64 }) }),
  fc.record({ kind: fc.constant('append' as const), bytes: fc.uint8Array({ minLength: 1, maxLength: 16 }) }),
  fc.record({ kind: fc.constant('strlen' as const), value: fc.nat(0xffff) }),
  fc.record({ kind: fc.constant('type' as const), value: fc.nat(255) }),
  fc.record({ kind: fc.constant('tag' as const), value: fc.nat(0xffff) }),
);

function mutate(valid: Buffer, m: Mutation): Buffer {
  const b = Buffer.from(valid);
  switch (m.kind) {
    case 'truncate':
      return b.subarray(0, m.at % b.length);
    case 'size':
      b.writeUInt32LE(m.value, 0);
      return b;
    case 'flip':
      b[m.at % b.length] = m.value;
      return b;
    case 'garbage':
      return Buffer.from(m.bytes);
    case 'append': {
      // bytes after the frame; with the size field grown to cover them (trailing bytes) or not (a second, bad frame)
      const out = Buffer.concat([b, m.bytes]);
      if (m.bytes[0]! % 2 === 0) out.writeUInt32LE(out.length, 0);
      return out;
    }
    case 'strlen':
      if (b.length >= 9) b.writeUInt16LE(m.value, 7);
      return b;
    case 'type':
      b[4] = m.value;
      return b;
    case 'tag':
      b.writeUInt16LE(m.value, 5);
      return b;
  }
}

async function oneCase(pairIndex: number, m: Mutation, split: number): Promise<void> {
  const [client, server] = memoryTransportPair();
  const c = new NinepClient(client, { msize: 8192, timeoutMs: 60_000 });
  const v = c.version();
  server.feed(encode({ type: 'Rversion', tag: 0xffff, msize: 8192, version: '9P2000' }));
  await v;
  const [req, reply] = PAIRS[pairIndex]!;
  const state: { outcome: 'pending' | 'resolved' | Error } = { outcome: 'pending' };
  const p = c.rpc(req).then(
    () => (state.outcome = 'resolved'),
    (e: Error) => (state.outcome = e),
  );
  const bytes = mutate(encode(reply(0)), m);
  // deliver in two pieces: the framer must cope with any split
  const cut = split % (bytes.length + 1);
  // feeding must never throw into the socket's data handler
  server.feed(bytes.subarray(0, cut));
  server.feed(bytes.subarray(cut));
  // the client decodes synchronously; a few microtask turns settle the caller's promise
  for (let i = 0; i < 8 && state.outcome === 'pending'; i++) await Promise.resolve();
  if (state.outcome === 'pending') {
    // the only legitimate reason to still wait: part of a frame is buffered, or the frame was not a reply to us
    // and was ignored because it never completed. Closing must then release the caller at once.
    c.close();
    await p;
    const after: unknown = state.outcome;
    if (!(after instanceof NinepConnectionError))
      throw new Error(`after close the request ended with ${String(after)}`);
  } else {
    await p;
  }
  if (state.outcome instanceof Error) {
    const typed =
      state.outcome instanceof NinepProtocolError ||
      state.outcome instanceof NinepRemoteError ||
      state.outcome instanceof NinepConnectionError;
    if (!typed || !(state.outcome instanceof NinepError))
      throw new Error(`untyped error escaped the client: ${state.outcome.name}: ${state.outcome.message}`);
  }
  c.close();
}

describe('client fuzz: malformed replies', () => {
  it(`${RUNS} malformed replies yield only typed errors and never hang`, async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat(PAIRS.length - 1), mutation, fc.nat(300), async (i, m, split) => {
        await oneCase(i, m, split);
      }),
      { numRuns: RUNS },
    );
  }, 600_000);

  it('each malformation kind ends in a NinepProtocolError', async () => {
    const kinds: Mutation[] = [
      { kind: 'size', value: 3 },
      { kind: 'size', value: 1 << 20 },
      { kind: 'strlen', value: 0xffff },
      { kind: 'type', value: 250 },
      { kind: 'tag', value: 4242 },
      { kind: 'append', bytes: new Uint8Array([2, 2]) },
    ];
    for (const m of kinds) {
      const [client, server] = memoryTransportPair();
      const c = new NinepClient(client, { msize: 8192 });
      const v = c.version();
      server.feed(encode({ type: 'Rversion', tag: 0xffff, msize: 8192, version: '9P2000' }));
      await v;
      const p = c.rpc({ type: 'Tstat', fid: 1 });
      server.feed(mutate(encode({ type: 'Rstat', tag: 0, stat }), m));
      await expect(p, JSON.stringify(m)).rejects.toBeInstanceOf(NinepProtocolError);
    }
  });
});
