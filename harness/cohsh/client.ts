// The TCP console driver (cohsh protocol). One request at a time; every read
// bounded and, on timeout, says what it waited for and the last line seen.
// Like upstream's client it survives a single-session console: a refused or
// reset connection, and an AUTH answered by a reset, are tried again with the
// shared back-off (./retry.ts), each attempt noted in the transcript. A clean
// close after AUTH (a wrong token) is never retried: that would feed the
// console's lockout. The transcript of both directions is kept for evidence,
// with the AUTH token and tickets redacted so no secret reaches a report.
import { createConnection, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { InfraError } from '../errors.ts';
import { encodeFrame, FrameDecoder, rawFrame } from '../../contract/cohsh/frame.ts';
import { CohshClosedError, CohshError, CohshResetError, parseErr, parseFields } from './errors.ts';
import { isRetryableCode, RetryBudget, UPSTREAM_RETRY, type RetryPolicy } from './retry.ts';

export interface TranscriptEntry {
  /** ms since the first connection attempt */
  t: number;
  dir: '>' | '<' | '!';
  line: string;
}

export interface CohshOptions {
  timeoutMs?: number;
  /** send PING every N ms while idle (upstream: 15 000); 0 disables */
  keepAliveMs?: number;
  /** reconnect policy for connect and AUTH; upstream's by default, `{ ...UPSTREAM_RETRY, attempts: 1 }` gives up at once */
  retry?: Readonly<RetryPolicy>;
}

export interface Reply {
  line: string;
  fields: Record<string, string>;
}

const PORT_HINT = 'check the console host/port (release bundles forward guest port 31337)';

export class CohshClient {
  readonly transcript: TranscriptEntry[] = [];
  private decoder = new FrameDecoder();
  private queue: string[] = [];
  private waiter?: () => void;
  private closedFlag = true;
  /** the socket error code that ended the current connection, when it was not a clean close */
  private endCode?: string;
  private socket?: Socket;
  private readonly opened = performance.now();
  private keepAlive?: NodeJS.Timeout;
  private busy = false;
  /** the current connect-and-AUTH sequence's share of the retry policy */
  private budget?: RetryBudget;
  readonly where: string;

  private constructor(
    private readonly host: string,
    private readonly port: number,
    private readonly timeoutMs: number,
    readonly retry: Readonly<RetryPolicy>,
  ) {
    this.where = `${host}:${port}`;
  }

  /** a TCP connection to the console (not authenticated), retried on refused or reset */
  static async connect(host: string, port: number, opts: CohshOptions = {}): Promise<CohshClient> {
    const c = new CohshClient(host, port, opts.timeoutMs ?? 5000, opts.retry ?? UPSTREAM_RETRY);
    c.budget = new RetryBudget(c.retry, performance.now());
    await c.dialWithRetry(c.budget);
    if (opts.keepAliveMs) c.startKeepAlive(opts.keepAliveMs);
    return c;
  }

  /** connect and AUTH as one retried sequence (what upstream's client does before ATTACH) */
  static async open(
    host: string,
    port: number,
    token: string,
    opts: CohshOptions = {},
  ): Promise<CohshClient> {
    const c = await CohshClient.connect(host, port, opts);
    try {
      await c.auth(token);
    } catch (e) {
      c.close();
      throw e;
    }
    return c;
  }

  get closed(): boolean {
    return this.closedFlag;
  }

  /** connections opened so far (1 when the first attempt was accepted) */
  get attempts(): number {
    return this.transcript.filter((e) => e.dir === '!' && /^attempt \d+\/\d+: connecting/.test(e.line))
      .length;
  }

  private async dialWithRetry(budget: RetryBudget): Promise<void> {
    for (;;) {
      budget.used++;
      this.note('!', `attempt ${budget.used}/${budget.policy.attempts}: connecting to ${this.where}`);
      const r = await this.dial();
      if (r === 'ok') return;
      const wait = isRetryableCode(r.code) ? budget.next(performance.now()) : null;
      if (wait === null) {
        const spent = isRetryableCode(r.code) ? ` (gave up after ${budget.describe()})` : '';
        throw new InfraError(`cohsh console ${this.where}: ${r.message}${spent}`, PORT_HINT);
      }
      this.note('!', `attempt ${budget.used}: ${r.code}; retrying in ${wait} ms`);
      await sleep(wait);
    }
  }

  /** one TCP connection; on success it becomes the client's socket */
  private dial(): Promise<'ok' | { code?: string; message: string }> {
    return new Promise((resolve) => {
      const s = createConnection({ host: this.host, port: this.port });
      const timer = setTimeout(() => {
        s.destroy();
        resolve({ message: `no connection within ${this.timeoutMs} ms` });
      }, this.timeoutMs);
      s.once('connect', () => {
        clearTimeout(timer);
        s.removeAllListeners('error');
        this.adopt(s);
        resolve('ok');
      });
      s.once('error', (e: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        s.destroy();
        resolve({ code: e.code, message: e.message });
      });
    });
  }

  private adopt(socket: Socket): void {
    this.socket = socket;
    this.decoder = new FrameDecoder();
    this.queue = [];
    this.closedFlag = false;
    this.endCode = undefined;
    socket.setNoDelay(true);
    // events of an earlier connection (a reset one) must not touch this one
    const current = (): boolean => this.socket === socket;
    socket.on('data', (d: Buffer) => {
      if (!current()) return;
      for (const f of this.decoder.push(d)) {
        const line = f.kind === 'line' ? f.line : `<invalid frame length ${f.length}>`;
        this.note('<', line);
        this.queue.push(line);
      }
      this.waiter?.();
    });
    socket.on('error', (e: NodeJS.ErrnoException) => {
      if (!current()) return;
      this.endCode ??= e.code ?? 'ERROR';
      this.note('!', `socket error: ${e.message}`);
    });
    socket.on('close', () => {
      if (!current()) return;
      this.closedFlag = true;
      this.note(
        '!',
        this.endCode && isRetryableCode(this.endCode) ? 'connection reset' : 'connection closed',
      );
      this.waiter?.();
    });
  }

  private note(dir: TranscriptEntry['dir'], line: string): void {
    // the token and worker tickets are credentials: never in a transcript
    let shown = line;
    if (dir === '>' && /^AUTH\s/.test(line)) shown = 'AUTH <redacted>';
    else if (dir === '>' && /^ATTACH\s+\S+\s+\S/.test(line))
      shown = line.replace(/^(ATTACH\s+\S+)\s.*$/, '$1 <ticket redacted>');
    this.transcript.push({ t: Math.round(performance.now() - this.opened), dir, line: shown });
  }

  transcriptText(): string {
    return this.transcript.map((e) => `${String(e.t).padStart(6)} ms ${e.dir} ${e.line}`).join('\n');
  }

  private startKeepAlive(ms: number): void {
    this.keepAlive = setInterval(() => {
      if (this.busy || this.closedFlag) return;
      void this.ping().catch(() => undefined);
    }, ms);
    this.keepAlive.unref();
  }

  private live(): Socket {
    if (!this.socket) throw new CohshClosedError('a request', undefined);
    return this.socket;
  }

  /** send one line as a frame */
  send(line: string): void {
    if (Buffer.byteLength(line, 'utf8') > 256)
      throw new Error(`cohsh: line of ${Buffer.byteLength(line)} bytes exceeds the 256-byte frame limit`);
    const s = this.live();
    this.note('>', line);
    s.write(encodeFrame(line));
  }

  /** send raw bytes (hostile or oversized frames in tests) */
  sendRaw(bytes: Buffer, describe: string): void {
    const s = this.live();
    this.note('>', describe);
    s.write(bytes);
  }

  sendOversized(bodyBytes = 300): void {
    this.sendRaw(rawFrame(4 + bodyBytes, Buffer.alloc(bodyBytes, 0x41)), `<frame of ${4 + bodyBytes} bytes>`);
  }

  /** the next line from the console, bounded */
  async readLine(what: string, timeoutMs = this.timeoutMs): Promise<string> {
    const deadline = performance.now() + timeoutMs;
    while (this.queue.length === 0) {
      if (this.closedFlag) {
        const last = this.transcript.at(-1)?.line;
        if (this.endCode && isRetryableCode(this.endCode))
          throw new CohshResetError(what, last, this.endCode);
        throw new CohshClosedError(what, last);
      }
      const left = deadline - performance.now();
      if (left <= 0) {
        const last = [...this.transcript].reverse().find((e) => e.dir === '<');
        throw new InfraError(
          `cohsh console ${this.where}: no reply to ${what} within ${timeoutMs} ms (last line seen: ${last?.line ?? 'none'})`,
        );
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiter = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.waiter = undefined;
    }
    return this.queue.shift()!;
  }

  /** one request → its OK reply, or a CohshError from its ERR reply */
  async request(line: string): Promise<Reply> {
    this.busy = true;
    try {
      this.send(line);
      const reply = await this.readLine(line.split(' ')[0]!);
      const err = parseErr(reply);
      if (err) throw new CohshError(err, line.split(' ')[0]!);
      if (!reply.startsWith('OK'))
        throw new Error(`cohsh ${line.split(' ')[0]}: unexpected reply ${JSON.stringify(reply)}`);
      return { line: reply, fields: parseFields(reply.replace(/^OK\s+\S+/, '')) };
    } finally {
      this.busy = false;
    }
  }

  /** lines after an OK reply until END, bounded in count and time */
  private async streamUntilEnd(what: string, maxLines = 10_000): Promise<string[]> {
    const lines: string[] = [];
    for (;;) {
      const l = await this.readLine(`${what} stream END`);
      if (l === 'END') return lines;
      const err = parseErr(l);
      if (err) throw new CohshError(err, what);
      lines.push(l);
      if (lines.length > maxLines) throw new Error(`cohsh ${what}: more than ${maxLines} lines without END`);
    }
  }

  /**
   * AUTH; a reset instead of a reply (the console busy with another session or
   * re-arming) reconnects and sends AUTH again within the retry budget that
   * connect() started. An ERR reply or a clean close is final.
   */
  async auth(token: string): Promise<Reply> {
    const budget = this.budget ?? Object.assign(new RetryBudget(this.retry, performance.now()), { used: 1 });
    this.budget = undefined;
    for (;;) {
      try {
        return await this.request(`AUTH ${token}`);
      } catch (e) {
        if (!(e instanceof CohshResetError)) throw e;
        const wait = budget.next(performance.now());
        if (wait === null) {
          e.message += `; gave up after ${budget.describe()}`;
          throw e;
        }
        this.note(
          '!',
          `attempt ${budget.used}: AUTH answered by a reset (console busy or re-arming); retrying in ${wait} ms`,
        );
        this.socket?.destroy();
        await sleep(wait);
        await this.dialWithRetry(budget);
      }
    }
  }

  async attach(role: string, ticket?: string): Promise<Reply> {
    return this.request(ticket ? `ATTACH ${role} ${ticket}` : `ATTACH ${role}`);
  }

  async ping(): Promise<void> {
    this.busy = true;
    try {
      await this.request('PING');
      const pong = await this.readLine('PONG');
      if (pong !== 'PONG') throw new Error(`cohsh PING: expected PONG, got ${JSON.stringify(pong)}`);
    } finally {
      this.busy = false;
    }
  }

  /**
   * CAT. The ack's `data=` is a summary cut to fit the line (a file's lines
   * joined with `|`); the streamed lines are the content, but a release may
   * stream none. So the content is the streamed lines when there are any, else
   * the summary split at `|`, and `source` says which was used.
   */
  async catDetailed(
    path: string,
  ): Promise<{ lines: string[]; summary: string; source: 'stream' | 'summary' }> {
    this.busy = true;
    try {
      const ok = await this.request(`CAT ${path}`);
      const summary = ok.fields.data ?? '';
      const streamed = await this.streamUntilEnd('CAT');
      if (streamed.length > 0) return { lines: streamed, summary, source: 'stream' };
      return { lines: summary === '' ? [] : summary.split('|'), summary, source: 'summary' };
    } finally {
      this.busy = false;
    }
  }

  /** CAT's content lines (see catDetailed) */
  async cat(path: string): Promise<string[]> {
    return (await this.catDetailed(path)).lines;
  }

  async tail(path: string): Promise<string[]> {
    this.busy = true;
    try {
      await this.request(`TAIL ${path}`);
      return await this.streamUntilEnd('TAIL');
    } finally {
      this.busy = false;
    }
  }

  async echo(path: string, line: string): Promise<Reply> {
    return this.request(`ECHO ${path} ${line}`);
  }

  /** end the session as upstream does (`quit` → `OK QUIT`, the console closes), so it re-arms at once */
  async quit(): Promise<Reply> {
    const r = await this.request('quit');
    await this.readLine('the console closing after OK QUIT', 1000).then(
      (l) => this.note('!', `unexpected line after OK QUIT: ${l}`),
      (e: Error) => {
        if (!(e instanceof CohshClosedError))
          this.note('!', 'the console did not close within 1000 ms after OK QUIT');
      },
    );
    this.close();
    return r;
  }

  close(): void {
    clearInterval(this.keepAlive);
    this.socket?.destroy();
  }
}
