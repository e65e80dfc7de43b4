// A raw 9P connection for conformance and hostile-input checks: sends any
// bytes (well-formed or not) and reads whatever comes back, frame by frame,
// with a bound on every wait. Unlike NinepClient it never judges the peer; it
// reports what happened: a decoded frame, an undecodable one, or a close.
import { connectTransport, type Endpoint, type Transport } from '../../contract/ninep/transport.ts';
import { decode, encode, summarize, type Dialect, type Message } from '../../contract/ninep/codec.ts';
import { Framer } from '../../contract/ninep/framer.ts';
import { Transcript } from '../../contract/ninep/transcript.ts';

export type RawEvent =
  | { kind: 'frame'; message: Message }
  | { kind: 'garbage'; bytes: Buffer; why: string }
  | { kind: 'closed' }
  | { kind: 'timeout'; waitedMs: number };

export class RawConnection {
  readonly transcript = new Transcript(200);
  private readonly framer = new Framer(16 * 1024 * 1024);
  private readonly events: RawEvent[] = [];
  private waiter?: (e: RawEvent) => void;
  private isClosed = false;

  private constructor(
    private readonly t: Transport,
    readonly dialect: Dialect,
  ) {
    t.onData((chunk) => {
      const { frames, error } = this.framer.push(chunk);
      for (const f of frames) {
        try {
          const m = decode(f, dialect);
          this.transcript.add('<', summarize(m));
          this.emit({ kind: 'frame', message: m });
        } catch (e) {
          this.transcript.add('<', `undecodable: ${f.subarray(0, 24).toString('hex')}`);
          this.emit({ kind: 'garbage', bytes: f, why: (e as Error).message });
        }
      }
      if (error) this.emit({ kind: 'garbage', bytes: Buffer.alloc(0), why: error.message });
    });
    t.onClose(() => {
      this.isClosed = true;
      this.transcript.add('!', 'connection closed by the peer');
      this.emit({ kind: 'closed' });
    });
  }

  static async open(ep: Endpoint, dialect: Dialect, timeoutMs = 5000): Promise<RawConnection> {
    return new RawConnection(await connectTransport(ep, timeoutMs), dialect);
  }

  get closed(): boolean {
    return this.isClosed;
  }

  private emit(e: RawEvent): void {
    const w = this.waiter;
    if (w) {
      this.waiter = undefined;
      w(e);
    } else this.events.push(e);
  }

  send(m: Message): void {
    this.transcript.add('>', summarize(m));
    this.t.write(encode(m));
  }

  sendBytes(b: Buffer, label = 'raw bytes'): void {
    this.transcript.add(
      '>',
      `${label}: ${b.subarray(0, 24).toString('hex')}${b.length > 24 ? '…' : ''} (${b.length} bytes)`,
    );
    this.t.write(b);
  }

  /** The next thing that happens, or a timeout event after timeoutMs. Once closed, always 'closed'. */
  next(timeoutMs = 3000): Promise<RawEvent> {
    const queued = this.events.shift();
    if (queued) return Promise.resolve(queued);
    if (this.isClosed) return Promise.resolve({ kind: 'closed' });
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiter = undefined;
        resolve({ kind: 'timeout', waitedMs: timeoutMs });
      }, timeoutMs);
      this.waiter = (e) => {
        clearTimeout(timer);
        resolve(e);
      };
    });
  }

  /** Send a request and wait for the frame carrying its tag (other frames are skipped). */
  async request(m: Message, timeoutMs = 3000): Promise<RawEvent> {
    this.send(m);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const e = await this.next(Math.max(1, deadline - Date.now()));
      if (e.kind !== 'frame' || e.message.tag === m.tag) return e;
    }
  }

  /** Half-close our side: a server waiting for the rest of a frame must then give up. */
  end(): void {
    if (this.t.end) this.t.end();
    else this.t.close();
  }

  close(): void {
    this.t.close();
  }
}
