// Console driver: runs one command on a line console and returns exactly its
// answer. As in labgrid's ShellDriver, the answer is framed by a random
// marker echoed before and after the command, so the echoed input, earlier
// output and prompts never leak into it. Works over any serial stream: QEMU's
// stdio, a TCP chardev, or a ser2net port of a lab board.
import { randomBytes } from 'node:crypto';
import { createConnection, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { LineCapture, type SerialLine } from '../serial/line-capture.ts';

export interface SerialIo {
  capture: LineCapture;
  write(data: string): void;
}

export interface ConsoleAnswer {
  command: string;
  /** answer lines, without the framing markers */
  lines: string[];
  durationMs: number;
}

export class ConsoleError extends Error {
  override name = 'ConsoleError';
}

export class ConsoleDriver {
  private busy = false;
  private socket?: Socket;

  constructor(private readonly io: SerialIo) {}

  get capture(): LineCapture {
    return this.io.capture;
  }

  /** connect to a console served on TCP (QEMU chardev, ser2net); retried until timeoutMs */
  static async connectTcp(host: string, port: number, opts: { timeoutMs: number }): Promise<ConsoleDriver> {
    const deadline = performance.now() + opts.timeoutMs;
    let last = '';
    while (performance.now() < deadline) {
      try {
        const socket = await new Promise<Socket>((resolve, reject) => {
          const s = createConnection({ host, port });
          const t = setTimeout(
            () => {
              s.destroy();
              reject(new Error('connect timed out'));
            },
            Math.max(50, deadline - performance.now()),
          );
          s.once('connect', () => {
            clearTimeout(t);
            resolve(s);
          });
          s.once('error', (e) => {
            clearTimeout(t);
            reject(e);
          });
        });
        socket.on('error', () => {
          /* shows as the capture closing */
        });
        const capture = new LineCapture();
        capture.attach(socket);
        const d = new ConsoleDriver({ capture, write: (s) => socket.write(s) });
        d.socket = socket;
        return d;
      } catch (e) {
        last = (e as Error).message;
        await sleep(20);
      }
    }
    throw new ConsoleError(
      `console at ${host}:${port} did not accept a connection within ${opts.timeoutMs} ms (last error: ${last})`,
    );
  }

  /** Run `command`; resolves with its answer lines, or rejects naming the command and the last lines seen. */
  async run(command: string, opts: { timeoutMs?: number } = {}): Promise<ConsoleAnswer> {
    if (/[;\r\n]/.test(command))
      throw new ConsoleError(
        `console command must be one command without ";" or line breaks: ${JSON.stringify(command)}`,
      );
    if (this.busy)
      throw new ConsoleError('console driver: one command at a time (a previous run() has not finished)');
    this.busy = true;
    const timeoutMs = opts.timeoutMs ?? 5000;
    const marker = `cqa${randomBytes(6).toString('hex')}`;
    const begin = `${marker}-begin`;
    const end = `${marker}-end`;
    const start = performance.now();
    const from = this.io.capture.lineCount;
    const exact = (s: string) => (l: string) => l.trim() === s;
    try {
      const seenBegin = this.io.capture.waitFor(exact(begin), {
        timeoutMs,
        fromIndex: from,
        what: `console frame start ${begin} for ${JSON.stringify(command)}`,
      });
      const seenEnd = this.io.capture.waitFor(exact(end), {
        timeoutMs,
        fromIndex: from,
        what: `console frame end ${end} for ${JSON.stringify(command)}`,
      });
      this.io.write(`echo ${begin}; ${command}; echo ${end}\n`);
      // both waits are awaited together so neither rejection goes unhandled
      const [b, e]: SerialLine[] = await Promise.all([seenBegin, seenEnd]);
      const lines = this.io.capture
        .since(b!.index + 1)
        .filter((l) => l.index < e!.index)
        .map((l) => l.text);
      return { command, lines, durationMs: performance.now() - start };
    } catch (err) {
      throw new ConsoleError(
        `console command ${JSON.stringify(command)} got no framed answer: ${(err as Error).message}`,
      );
    } finally {
      this.busy = false;
    }
  }

  close(): void {
    this.socket?.destroy();
    this.io.capture.close();
  }
}
