// The TCP console driver (cohsh protocol). One request at a time; every read
// bounded and, on timeout, says what it waited for and the last line seen.
// A transcript of both directions is kept for evidence, with the AUTH token
// redacted so the secret never reaches a report.
import { createConnection, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { InfraError } from '../errors.ts';
import { encodeFrame, FrameDecoder, rawFrame } from './frame.ts';
import { CohshClosedError, CohshError, parseErr, parseFields } from './errors.ts';

export interface TranscriptEntry {
  /** ms since the connection opened */
  t: number;
  dir: '>' | '<' | '!';
  line: string;
}

export interface CohshOptions {
  timeoutMs?: number;
  /** send PING every N ms while idle (upstream: 15 000); 0 disables */
  keepAliveMs?: number;
}

export interface Reply {
  line: string;
  fields: Record<string, string>;
}

export class CohshClient {
  readonly transcript: TranscriptEntry[] = [];
  private readonly decoder = new FrameDecoder();
  private readonly queue: string[] = [];
  private waiter?: () => void;
  private closedFlag = false;
  private readonly opened = performance.now();
  private keepAlive?: NodeJS.Timeout;
  private busy = false;

  private constructor(
    private readonly socket: Socket,
    readonly where: string,
    private readonly timeoutMs: number,
  ) {
    socket.on('data', (d: Buffer) => {
      for (const f of this.decoder.push(d)) {
        const line = f.kind === 'line' ? f.line : `<invalid frame length ${f.length}>`;
        this.note('<', line);
        this.queue.push(line);
      }
      this.waiter?.();
    });
    socket.on('close', () => {
      this.closedFlag = true;
      this.note('!', 'connection closed');
      this.waiter?.();
    });
    socket.on('error', (e) => this.note('!', `socket error: ${e.message}`));
  }

  static async connect(host: string, port: number, opts: CohshOptions = {}): Promise<CohshClient> {
    const timeoutMs = opts.timeoutMs ?? 5000;
    const where = `${host}:${port}`;
    const socket = await new Promise<Socket>((resolve, reject) => {
      const s = createConnection({ host, port });
      const timer = setTimeout(() => {
        s.destroy();
        reject(new InfraError(`cohsh console ${where}: no connection within ${timeoutMs} ms`));
      }, timeoutMs);
      s.once('connect', () => {
        clearTimeout(timer);
        resolve(s);
      });
      s.once('error', (e) => {
        clearTimeout(timer);
        reject(
          new InfraError(
            `cohsh console ${where}: ${e.message}`,
            'check the console host/port (release bundles forward guest port 31337)',
          ),
        );
      });
    });
    socket.setNoDelay(true);
    const c = new CohshClient(socket, where, timeoutMs);
    if (opts.keepAliveMs) c.startKeepAlive(opts.keepAliveMs);
    return c;
  }

  get closed(): boolean {
    return this.closedFlag;
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

  /** send one line as a frame */
  send(line: string): void {
    if (Buffer.byteLength(line, 'utf8') > 256)
      throw new Error(`cohsh: line of ${Buffer.byteLength(line)} bytes exceeds the 256-byte frame limit`);
    this.note('>', line);
    this.socket.write(encodeFrame(line));
  }

  /** send raw bytes (hostile or oversized frames in tests) */
  sendRaw(bytes: Buffer, describe: string): void {
    this.note('>', describe);
    this.socket.write(bytes);
  }

  sendOversized(bodyBytes = 300): void {
    this.sendRaw(rawFrame(4 + bodyBytes, Buffer.alloc(bodyBytes, 0x41)), `<frame of ${4 + bodyBytes} bytes>`);
  }

  /** the next line from the console, bounded */
  async readLine(what: string, timeoutMs = this.timeoutMs): Promise<string> {
    const deadline = performance.now() + timeoutMs;
    while (this.queue.length === 0) {
      if (this.closedFlag) throw new CohshClosedError(what, this.transcript.at(-1)?.line);
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

  async auth(token: string): Promise<Reply> {
    return this.request(`AUTH ${token}`);
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

  /** CAT: the data= chunk of the OK line, then the following lines until END */
  async cat(path: string): Promise<string[]> {
    this.busy = true;
    try {
      const ok = await this.request(`CAT ${path}`);
      const first = ok.fields.data;
      const rest = await this.streamUntilEnd('CAT');
      return first !== undefined && first !== '' ? [first, ...rest] : rest;
    } finally {
      this.busy = false;
    }
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

  close(): void {
    clearInterval(this.keepAlive);
    this.socket.destroy();
  }
}
