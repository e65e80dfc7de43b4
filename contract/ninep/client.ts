// The 9P client: tag multiplexing (many requests in flight, replies in any
// order), fid accounting, msize negotiation, and a bound on every request. A
// request that runs out of time (or is cancelled) is flushed with Tflush, and
// its tag stays reserved until Rflush arrives, as flush(5) requires.
//
// Any malformed frame from the server is fatal to the connection: every
// pending request fails with the NinepProtocolError that described it.
import {
  decode,
  encode,
  replyTypeOf,
  summarize,
  wireName,
  NOTAG,
  IOHDRSZ,
  type Dialect,
  type Message,
  type MessageOf,
  type MessageType,
} from './codec.ts';
import { Framer } from './framer.ts';
import {
  NinepConnectionError,
  NinepError,
  NinepProtocolError,
  NinepRemoteError,
  NinepTimeoutError,
  NinepUsageError,
} from './errors.ts';
import { connectTransport, type Endpoint, type Transport } from './transport.ts';
import { Transcript } from './transcript.ts';
import { errnoName } from './errno.ts';

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
export type Request = DistributiveOmit<Message, 'tag'>;

export interface ClientOptions {
  /** 9P2000 (Plan 9, Secure9P) or 9P2000.L (Linux v9fs, diod). Default 9P2000. */
  dialect?: Dialect;
  /** msize to ask for in Tversion (the server may lower it). Default 64 KiB + IOHDRSZ. */
  msize?: number;
  /** bound on every request, in ms. Default 5000. */
  timeoutMs?: number;
  /** frames kept in the evidence transcript. Default 256. */
  transcriptLimit?: number;
}

export interface ConnectOptions extends ClientOptions, Endpoint {
  /** bound on TCP connect + TLS handshake, in ms. Default = timeoutMs. */
  connectTimeoutMs?: number;
  signal?: AbortSignal;
}

export interface RequestOptions {
  timeoutMs?: number;
  signal?: AbortSignal;
  /**
   * The reply's data (Rread) is lent, not given: it is a view of the client's receive memory,
   * valid until it is handed back with client.releaseData(data), after which that memory is reused
   * for later replies. For streaming reads that use each piece and drop it.
   */
  lend?: boolean;
}

interface Pending {
  request: Request & { tag: number };
  expect: MessageType;
  lend?: boolean;
  resolve(m: Message): void;
  reject(e: Error): void;
  timer?: NodeJS.Timeout;
  /** set once the caller has been answered with a timeout/cancel; the tag waits for Rflush */
  abandoned?: boolean;
}

/** The smallest msize we accept from a server: a header plus a useful payload. */
export const MIN_MSIZE = 256;

export class NinepClient {
  readonly dialect: Dialect;
  readonly transcript: Transcript;
  /** negotiated msize (the requested one until Rversion arrives) */
  msize: number;
  private readonly timeoutMs: number;
  private readonly framer: Framer;
  private readonly pending = new Map<number, Pending>();
  private readonly fids = new Map<number, string>();
  private nextTag = 0;
  private nextFid = 1;
  private dead?: Error;
  private versioned = false;

  constructor(
    private readonly transport: Transport,
    opts: ClientOptions = {},
  ) {
    this.dialect = opts.dialect ?? '9P2000';
    this.msize = opts.msize ?? 65536 + IOHDRSZ;
    if (this.msize < MIN_MSIZE)
      throw new NinepUsageError(`msize ${this.msize} is below the minimum ${MIN_MSIZE}`);
    this.timeoutMs = opts.timeoutMs ?? 5000;
    this.transcript = new Transcript(opts.transcriptLimit ?? 256);
    this.framer = new Framer(this.msize);
    transport.onData((chunk) => this.onData(chunk));
    transport.readInto?.(() => this.framer.readBuffer());
    transport.onClose((err) =>
      this.fail(
        new NinepConnectionError(
          `connection to ${transport.description} closed${err ? `: ${err.message}` : ''}`,
        ),
      ),
    );
  }

  /** Connect over TCP or TLS and negotiate the version and msize. */
  static async connect(opts: ConnectOptions): Promise<NinepClient> {
    const t = await connectTransport(opts, opts.connectTimeoutMs ?? opts.timeoutMs ?? 5000, opts.signal);
    const c = new NinepClient(t, opts);
    try {
      await c.version({ signal: opts.signal });
    } catch (e) {
      c.close();
      throw e;
    }
    return c;
  }

  get description(): string {
    return this.transport.description;
  }

  get closed(): boolean {
    return this.dead !== undefined;
  }

  /** fids this client believes are live on the server (leak checks in tests) */
  get liveFids(): ReadonlyMap<number, string> {
    return this.fids;
  }

  /** the default bound on one request, in ms (ClientOptions.timeoutMs) */
  get requestTimeoutMs(): number {
    return this.timeoutMs;
  }

  /** requests awaiting a reply, including abandoned ones waiting for Rflush */
  get inFlight(): number {
    return this.pending.size;
  }

  /** Tversion: must come first; resets all fids. Returns the negotiated msize. */
  async version(opts: RequestOptions = {}): Promise<number> {
    const r = await this.call({ type: 'Tversion', msize: this.msize, version: this.dialect }, opts, NOTAG);
    const rv = r as MessageOf<'Rversion'>;
    if (rv.version !== this.dialect) {
      const err = new NinepProtocolError(
        'bad-version',
        `asked for ${this.dialect}, server answered ${JSON.stringify(rv.version)}`,
      );
      this.fail(err);
      throw err;
    }
    if (rv.msize > this.msize || rv.msize < MIN_MSIZE) {
      const err = new NinepProtocolError(
        'bad-msize',
        `asked for msize ${this.msize}, server answered ${rv.msize}`,
      );
      this.fail(err);
      throw err;
    }
    this.msize = rv.msize;
    this.framer.maxFrame = rv.msize;
    this.fids.clear();
    this.versioned = true;
    return rv.msize;
  }

  /** Allocate an unused fid number (not yet known to the server). */
  allocFid(): number {
    for (let i = 0; i < 0xfffffffe; i++) {
      const f = this.nextFid;
      this.nextFid = this.nextFid >= 0xfffffffe ? 1 : this.nextFid + 1;
      if (!this.fids.has(f)) return f;
    }
    throw new NinepUsageError('no free fid');
  }

  /** Send one request and wait for its reply; Rerror/Rlerror become NinepRemoteError. */
  async rpc<R extends MessageType>(req: Request, opts: RequestOptions = {}): Promise<MessageOf<R>> {
    if (!this.versioned && req.type !== 'Tversion')
      throw new NinepUsageError(`${wireName(req.type)} before Tversion`);
    return (await this.call(req, opts)) as MessageOf<R>;
  }

  private call(req: Request, opts: RequestOptions, fixedTag?: number): Promise<Message> {
    if (this.dead)
      return Promise.reject(
        this.dead instanceof NinepError ? this.dead : new NinepConnectionError(this.dead.message),
      );
    if (opts.signal?.aborted)
      return Promise.reject(new NinepTimeoutError(`${wireName(req.type)} cancelled before it was sent`));
    const tag = fixedTag ?? this.allocTag();
    const full = { ...req, tag } as Request & { tag: number };
    const frame = encode(full as Message);
    if (frame.length > this.msize) {
      return Promise.reject(
        new NinepUsageError(`${wireName(req.type)} of ${frame.length} bytes exceeds msize ${this.msize}`),
      );
    }
    this.trackFidsBeforeSend(full);
    return new Promise<Message>((resolve, reject) => {
      const p: Pending = { request: full, expect: replyTypeOf(req.type), lend: opts.lend, resolve, reject };
      const bound = opts.timeoutMs ?? this.timeoutMs;
      const giveUp = (why: string) => {
        opts.signal?.removeEventListener('abort', onAbort);
        if (!this.pending.has(tag) || p.abandoned) return;
        p.abandoned = true;
        reject(
          new NinepTimeoutError(
            `${summarize(full as Message)}: ${why}; Tflush sent. Last frames:\n${this.transcript.text(8)}`,
          ),
        );
        this.flush(tag);
      };
      const onAbort = () => giveUp('cancelled');
      p.timer = setTimeout(() => giveUp(`no reply within ${bound} ms`), bound);
      opts.signal?.addEventListener('abort', onAbort, { once: true });
      const origResolve = p.resolve;
      const origReject = p.reject;
      p.resolve = (m) => {
        opts.signal?.removeEventListener('abort', onAbort);
        origResolve(m);
      };
      p.reject = (e) => {
        opts.signal?.removeEventListener('abort', onAbort);
        origReject(e);
      };
      this.pending.set(tag, p);
      this.transcript.add('>', summarize(full as Message));
      this.transport.write(frame);
    });
  }

  /**
   * The callback form of rpc, for hot loops (readChunks): no promise, timer or abort listener
   * per request. The caller bounds the wait itself and calls abandon(tag) when it gives up; `done`
   * is called once, with the reply or the error (Rerror, a broken connection). Returns the tag.
   */
  send(req: Request, lend: boolean, done: (err: Error | undefined, m?: Message) => void): number {
    if (this.dead) {
      done(this.dead instanceof NinepError ? this.dead : new NinepConnectionError(this.dead.message));
      return NOTAG;
    }
    if (!this.versioned) throw new NinepUsageError(`${wireName(req.type)} before Tversion`);
    const tag = this.allocTag();
    const full = { ...req, tag } as Request & { tag: number };
    const frame = encode(full as Message);
    if (frame.length > this.msize)
      throw new NinepUsageError(`${wireName(req.type)} of ${frame.length} bytes exceeds msize ${this.msize}`);
    this.trackFidsBeforeSend(full);
    this.pending.set(tag, {
      request: full,
      expect: replyTypeOf(req.type),
      lend,
      resolve: (m) => done(undefined, m),
      reject: done,
    });
    this.transcript.add('>', summarize(full as Message));
    this.transport.write(frame);
    return tag;
  }

  /** Give up on a request made with send(): it is flushed and its tag kept until Rflush. */
  abandon(tag: number): void {
    const p = this.pending.get(tag);
    if (!p || p.abandoned) return;
    p.abandoned = true;
    this.flush(tag);
  }

  /** Tflush for an abandoned tag; the tag is released when Rflush (or the late reply and Rflush) arrives. */
  private flush(oldtag: number): void {
    if (this.dead) return;
    const p = this.pending.get(oldtag);
    if (p?.request.type === 'Tversion' || p?.request.type === 'Tflush') {
      // nothing sensible to flush: the connection cannot be trusted any more
      this.fail(new NinepTimeoutError(`${wireName(p.request.type)} got no reply; connection abandoned`));
      return;
    }
    this.call({ type: 'Tflush', oldtag }, {}).then(
      () => this.release(oldtag),
      (e: Error) => {
        if (e instanceof NinepTimeoutError)
          this.fail(new NinepTimeoutError(`Tflush of tag ${oldtag} got no Rflush; connection abandoned`));
        else this.release(oldtag);
      },
    );
  }

  private release(tag: number): void {
    const p = this.pending.get(tag);
    if (p) {
      clearTimeout(p.timer);
      this.pending.delete(tag);
      this.untrackFailedFids(p.request);
    }
  }

  private allocTag(): number {
    for (let i = 0; i < NOTAG; i++) {
      const t = this.nextTag;
      this.nextTag = (this.nextTag + 1) % NOTAG;
      if (!this.pending.has(t)) return t;
    }
    throw new NinepUsageError('all 65535 tags are in flight');
  }

  private trackFidsBeforeSend(req: Request): void {
    // a fid is reserved as soon as a request names it as new, so no other request reuses it
    if (req.type === 'Tattach' || req.type === 'TattachL') this.fids.set(req.fid, '/');
    if (req.type === 'Twalk' && req.newfid !== req.fid) this.fids.set(req.newfid, '(walking)');
  }

  private untrackFailedFids(req: Request): void {
    if ((req.type === 'Tattach' || req.type === 'TattachL') && this.fids.get(req.fid) === '/')
      this.fids.delete(req.fid);
    if (req.type === 'Twalk' && req.newfid !== req.fid && this.fids.get(req.newfid) === '(walking)')
      this.fids.delete(req.newfid);
  }

  /** Record a fid's path for evidence (called by the high-level helpers). */
  noteFid(fid: number, path: string): void {
    if (this.fids.has(fid)) this.fids.set(fid, path);
  }

  /** Forget a fid after Tclunk/Tremove (both free it whatever the reply). */
  forgetFid(fid: number): void {
    this.fids.delete(fid);
  }

  private onData(chunk: Buffer): void {
    if (this.dead) return;
    const { frames, error } = this.framer.push(chunk);
    for (const f of frames) {
      if (this.dead) return;
      this.onFrame(f);
    }
    if (error) {
      this.transcript.add('<', `bad frame header: ${error.message}`);
      this.fail(error);
    }
  }

  /** Hand back the data of a reply received with `lend`: its memory may now be reused. */
  releaseData(data: Uint8Array): void {
    this.framer.release(data);
  }

  private onFrame(frame: Buffer): void {
    let m: Message;
    try {
      m = decode(frame, this.dialect);
    } catch (e) {
      this.transcript.add('<', `undecodable frame: ${frame.subarray(0, 32).toString('hex')}`);
      this.framer.release(frame);
      this.fail(asProtocolError(e));
      return;
    }
    // decode copied everything but a data field out of the frame: without one, the frame's
    // memory is free now; with one, it is lent to a `lend` caller or kept for good
    if (!('data' in m)) {
      this.framer.release(frame);
      this.deliver(m);
      return;
    }
    let lent = false;
    try {
      lent = this.deliver(m);
    } finally {
      if (!lent) this.framer.escape(frame);
    }
  }

  /** Route a decoded reply to its request; true when its data was lent to the caller. */
  private deliver(m: Message): boolean {
    this.transcript.add('<', summarize(m));
    const p = this.pending.get(m.tag);
    if (!p) {
      this.fail(new NinepProtocolError('unknown-tag', `${summarize(m)} answers no request in flight`));
      return false;
    }
    if (m.type === 'Rerror' || m.type === 'Rlerror') {
      this.untrackFailedFids(p.request);
      // an abandoned tag stays reserved until its Rflush arrives
      if (p.abandoned) return false;
      clearTimeout(p.timer);
      this.pending.delete(m.tag);
      const err =
        m.type === 'Rerror'
          ? new NinepRemoteError(wireName(p.request.type), m.ename)
          : new NinepRemoteError(wireName(p.request.type), errnoName(m.ecode), m.ecode);
      p.reject(err);
      return false;
    }
    if (m.type !== p.expect) {
      this.fail(
        new NinepProtocolError(
          'unexpected-reply',
          `${wireName(p.request.type)} tag ${m.tag} was answered with ${wireName(m.type)}`,
        ),
      );
      return false;
    }
    const semantic = checkReply(p.request, m);
    if (semantic) {
      this.fail(semantic);
      return false;
    }
    if (p.abandoned) {
      // a late reply to a flushed request: the tag stays reserved until Rflush; undo side effects
      this.undoLateReply(p.request, m);
      return false;
    }
    clearTimeout(p.timer);
    this.pending.delete(m.tag);
    if (p.request.type === 'Twalk' && m.type === 'Rwalk' && m.qids.length < p.request.wnames.length)
      this.untrackFailedFids(p.request);
    p.resolve(m);
    return p.lend === true;
  }

  private undoLateReply(req: Request, m: Message): void {
    // the caller gave up on this request, but the server did it: clunk the fid it created
    const created =
      req.type === 'Tattach' || req.type === 'TattachL'
        ? req.fid
        : req.type === 'Twalk' &&
            m.type === 'Rwalk' &&
            m.qids.length === req.wnames.length &&
            req.newfid !== req.fid
          ? req.newfid
          : undefined;
    if (created !== undefined) {
      this.fids.set(created, '(orphan)');
      this.call({ type: 'Tclunk', fid: created }, {}).then(
        () => this.forgetFid(created),
        () => this.forgetFid(created),
      );
    }
  }

  /** Fail the connection: every pending request rejects with err; later calls fail at once. */
  private fail(err: Error): void {
    if (this.dead) return;
    this.dead = err;
    this.transcript.add('!', err.message.split('\n')[0]!);
    for (const [tag, p] of this.pending) {
      clearTimeout(p.timer);
      this.pending.delete(tag);
      if (!p.abandoned) p.reject(err);
    }
    this.transport.close();
  }

  /** Close the connection; pending requests fail with NinepConnectionError. */
  close(): void {
    this.fail(new NinepConnectionError(`connection to ${this.transport.description} closed by the client`));
  }
}

/** Checks a well-formed reply against its request (counts the server may not exceed). */
function checkReply(req: Request, m: Message): NinepProtocolError | undefined {
  if (req.type === 'Twalk' && m.type === 'Rwalk') {
    if (m.qids.length > req.wnames.length)
      return new NinepProtocolError(
        'bad-count',
        `Rwalk returned ${m.qids.length} qids for ${req.wnames.length} names`,
      );
    if (req.wnames.length > 0 && m.qids.length === 0) {
      // a walk whose first element fails must be answered with an error, not an empty Rwalk
      return new NinepProtocolError(
        'bad-count',
        `Rwalk returned no qids for a walk of ${req.wnames.length} names`,
      );
    }
  }
  if (
    (req.type === 'Tread' || req.type === 'Treaddir') &&
    (m.type === 'Rread' || m.type === 'Rreaddir') &&
    m.data.length > req.count
  ) {
    return new NinepProtocolError(
      'bad-count',
      `${wireName(m.type)} returned ${m.data.length} bytes for a count of ${req.count}`,
    );
  }
  if (req.type === 'Twrite' && m.type === 'Rwrite' && m.count > req.data.length) {
    return new NinepProtocolError(
      'bad-count',
      `Rwrite says ${m.count} bytes written of ${req.data.length} sent`,
    );
  }
  return undefined;
}

function asProtocolError(e: unknown): NinepProtocolError {
  if (e instanceof NinepProtocolError) return e;
  return new NinepProtocolError('truncated', `undecodable frame: ${(e as Error)?.message ?? String(e)}`);
}
