// A minimal QMP client over a unix socket: capability negotiation, one
// command at a time, bounded waits. Used to release a paused guest (`cont`,
// which is t0 of the boot timeline) and to stop it (`quit`).
import { createConnection, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';

export interface QmpEvent {
  event: string;
  data?: unknown;
  timestamp?: { seconds: number; microseconds: number };
}

export class QmpError extends Error {
  override name = 'QmpError';
}

export class QmpClient {
  private buf = '';
  private pending: Array<{ resolve: (v: unknown) => void; reject: (e: Error) => void }> = [];
  private greeting?: (v: unknown) => void;
  readonly events: QmpEvent[] = [];
  private closed = false;

  private constructor(private readonly socket: Socket) {
    socket.setEncoding('utf8');
    socket.on('data', (d: string) => this.onData(d));
    socket.on('close', () => {
      this.closed = true;
      for (const p of this.pending.splice(0))
        p.reject(new QmpError('QMP connection closed before the reply'));
    });
    socket.on('error', () => {
      /* reported through close */
    });
  }

  /** Connect, retrying while QEMU has not yet created the socket; bounded by timeoutMs. */
  static async connect(
    path: string,
    timeoutMs: number,
    isAlive: () => boolean = () => true,
  ): Promise<QmpClient> {
    const deadline = performance.now() + timeoutMs;
    let lastError = 'no attempt';
    while (performance.now() < deadline) {
      if (!isAlive()) throw new QmpError(`QEMU exited before its QMP socket ${path} accepted a connection`);
      try {
        const socket = await new Promise<Socket>((resolve, reject) => {
          const s = createConnection(path);
          s.once('connect', () => resolve(s));
          s.once('error', reject);
        });
        const client = new QmpClient(socket);
        await client.handshake(Math.max(100, deadline - performance.now()));
        return client;
      } catch (e) {
        lastError = (e as Error).message;
        await sleep(5);
      }
    }
    throw new QmpError(`QMP socket ${path} did not answer within ${timeoutMs} ms (last error: ${lastError})`);
  }

  private onData(d: string): void {
    this.buf += d;
    if (this.buf.length > 1 << 20) {
      this.socket.destroy();
      return;
    }
    let nl: number;
    while ((nl = this.buf.indexOf('\n')) >= 0) {
      const line = this.buf.slice(0, nl).trim();
      this.buf = this.buf.slice(nl + 1);
      if (!line) continue;
      let msg: Record<string, unknown>;
      try {
        msg = JSON.parse(line) as Record<string, unknown>;
      } catch {
        continue;
      }
      if ('QMP' in msg) {
        this.greeting?.(msg);
      } else if ('event' in msg) {
        this.events.push(msg as unknown as QmpEvent);
        if (this.events.length > 200) this.events.shift();
      } else if ('return' in msg || 'error' in msg) {
        const p = this.pending.shift();
        if (!p) continue;
        if ('error' in msg) {
          const err = msg.error as { class?: string; desc?: string };
          p.reject(new QmpError(`QMP error ${err.class ?? ''}: ${err.desc ?? JSON.stringify(err)}`));
        } else p.resolve(msg.return);
      }
    }
  }

  private async handshake(timeoutMs: number): Promise<void> {
    await withTimeout(
      new Promise((resolve) => {
        this.greeting = resolve;
      }),
      timeoutMs,
      'QMP greeting',
    );
    await this.execute('qmp_capabilities', undefined, timeoutMs);
  }

  execute(command: string, args?: Record<string, unknown>, timeoutMs = 2000): Promise<unknown> {
    if (this.closed) return Promise.reject(new QmpError(`QMP connection closed; cannot run ${command}`));
    const p = new Promise<unknown>((resolve, reject) => this.pending.push({ resolve, reject }));
    this.socket.write(
      JSON.stringify(args ? { execute: command, arguments: args } : { execute: command }) + '\n',
    );
    return withTimeout(p, timeoutMs, `QMP ${command}`);
  }

  /** send without waiting for the reply (`quit` may close the socket first) */
  send(command: string): void {
    if (!this.closed) this.socket.write(JSON.stringify({ execute: command }) + '\n');
  }

  close(): void {
    this.closed = true;
    this.socket.destroy();
  }
}

async function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      p,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new QmpError(`${what}: no answer within ${ms} ms`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
