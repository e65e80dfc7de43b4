// A scripted 9P peer on an in-memory transport: the test decides what each
// request is answered with (or not answered at all), so client behaviour
// around tags, timeouts, flushes and bad replies can be checked exactly.
import { decode, encode, type Dialect, type Message } from '../../contract/ninep/codec.ts';
import { Framer } from '../../contract/ninep/framer.ts';
import { memoryTransportPair, type Transport } from '../../contract/ninep/transport.ts';

export interface ScriptPeer {
  client: Transport;
  /** requests received so far */
  received: Message[];
  /** send a reply (or raw bytes) to the client */
  reply(m: Message): void;
  raw(b: Buffer): void;
  /** resolves with the next request the client sends */
  next(): Promise<Message>;
}

export function scriptPeer(
  dialect: Dialect = '9P2000',
  auto?: (m: Message, peer: ScriptPeer) => void,
): ScriptPeer {
  const [client, server] = memoryTransportPair();
  const framer = new Framer(1 << 20);
  const waiters: Array<(m: Message) => void> = [];
  const queue: Message[] = [];
  const peer: ScriptPeer = {
    client,
    received: [],
    reply: (m) => server.feed(encode(m)),
    raw: (b) => server.feed(b),
    next: () => new Promise((resolve) => (queue.length ? resolve(queue.shift()!) : waiters.push(resolve))),
  };
  server.onData((chunk) => {
    for (const f of framer.push(chunk).frames) {
      const m = decode(f, dialect);
      peer.received.push(m);
      // answer asynchronously, as a real server would
      queueMicrotask(() => {
        if (auto) auto(m, peer);
        else if (waiters.length) waiters.shift()!(m);
        else queue.push(m);
      });
    }
  });
  return peer;
}

/** Answer Tversion like a normal server (optionally lowering msize). */
export function versionReply(m: Message, msize?: number): Message {
  if (m.type !== 'Tversion') throw new Error(`expected Tversion, got ${m.type}`);
  return { type: 'Rversion', tag: m.tag, msize: msize ?? m.msize, version: m.version };
}
