// Serial output captured line by line. Each line carries the monotonic host
// time (performance.now(), ms) at which the chunk that completed it arrived,
// so boot timing reflects arrival, not when someone looked. Bytes are kept
// as they came (binary-safe); text is a lossless latin1 view with control
// characters other than tab stripped for display. Everything is bounded: one
// line is cut at maxLineBytes, and only the last maxLines lines are kept.
import { performance } from 'node:perf_hooks';
import type { Readable } from 'node:stream';

export interface SerialLine {
  /** 0-based index since capture start; stays stable when old lines are dropped */
  index: number;
  /** ms, performance.now() at arrival of the byte that ended the line */
  t: number;
  /** the raw bytes of the line without the line ending */
  bytes: Buffer;
  /** display text: bytes as latin1, CR and other control bytes removed */
  text: string;
}

export interface LineCaptureOptions {
  maxLines?: number;
  maxLineBytes?: number;
}

/** a substring, a regex, or a predicate over the line's display text */
export type LinePattern = RegExp | string | ((text: string) => boolean);

type Listener = (line: SerialLine) => void;

export class WaitTimeoutError extends Error {
  override name = 'WaitTimeoutError';
  constructor(
    readonly waitedFor: string,
    readonly timeoutMs: number,
    readonly lastLines: string[],
    readonly reason: 'timeout' | 'closed' | 'aborted' = 'timeout',
  ) {
    const why =
      reason === 'timeout'
        ? `not seen within ${timeoutMs} ms`
        : reason === 'closed'
          ? 'the serial stream closed before it appeared'
          : 'the wait was aborted';
    super(
      `waited for ${waitedFor}: ${why}; last ${lastLines.length} serial line(s):\n` +
        (lastLines.length ? lastLines.map((l) => `  | ${l}`).join('\n') : '  (no output at all)'),
    );
  }
}

export function displayText(bytes: Buffer): string {
  // eslint-disable-next-line no-control-regex
  return bytes.toString('latin1').replace(/[\x00-\x08\x0b-\x1f\x7f]/g, '');
}

export class LineCapture {
  readonly maxLines: number;
  readonly maxLineBytes: number;
  private lines: SerialLine[] = [];
  private nextIndex = 0;
  private partial: Buffer[] = [];
  private partialLen = 0;
  private listeners = new Set<Listener>();
  private closeListeners = new Set<() => void>();
  /** ms (performance.now()) of the first byte, if any */
  firstByteAt?: number;
  totalBytes = 0;
  closed = false;

  constructor(opts: LineCaptureOptions = {}) {
    this.maxLines = opts.maxLines ?? 5000;
    this.maxLineBytes = opts.maxLineBytes ?? 16384;
  }

  /** feed bytes as they arrive; `t` defaults to now */
  push(chunk: Buffer, t: number = performance.now()): void {
    if (chunk.length === 0) return;
    this.firstByteAt ??= t;
    this.totalBytes += chunk.length;
    let start = 0;
    for (let i = 0; i < chunk.length; i++) {
      if (chunk[i] === 0x0a) {
        this.appendPartial(chunk.subarray(start, i), t);
        this.emitLine(t);
        start = i + 1;
      }
    }
    if (start < chunk.length) this.appendPartial(chunk.subarray(start), t);
  }

  private appendPartial(part: Buffer, t: number): void {
    let rest = part;
    while (this.partialLen + rest.length > this.maxLineBytes) {
      const room = this.maxLineBytes - this.partialLen;
      this.partial.push(Buffer.from(rest.subarray(0, room)));
      this.partialLen += room;
      this.emitLine(t);
      rest = rest.subarray(room);
    }
    if (rest.length) {
      this.partial.push(Buffer.from(rest));
      this.partialLen += rest.length;
    }
  }

  private emitLine(t: number): void {
    let bytes = Buffer.concat(this.partial, this.partialLen);
    this.partial = [];
    this.partialLen = 0;
    if (bytes.length && bytes[bytes.length - 1] === 0x0d) bytes = bytes.subarray(0, bytes.length - 1);
    const line: SerialLine = { index: this.nextIndex++, t, bytes, text: displayText(bytes) };
    this.lines.push(line);
    if (this.lines.length > this.maxLines) this.lines.splice(0, this.lines.length - this.maxLines);
    for (const l of [...this.listeners]) l(line);
  }

  /** the unterminated tail (e.g. a shell prompt), as display text */
  pendingText(): string {
    return displayText(Buffer.concat(this.partial, this.partialLen));
  }

  /** mark end of stream; a pending partial line is flushed as a line */
  close(t: number = performance.now()): void {
    if (this.closed) return;
    if (this.partialLen) this.emitLine(t);
    this.closed = true;
    for (const l of [...this.closeListeners]) l();
  }

  /** attach to a stream: data and end are captured with arrival times */
  attach(stream: Readable): void {
    stream.on('data', (chunk: Buffer | string) =>
      this.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk),
    );
    stream.once('end', () => this.close());
    stream.once('close', () => this.close());
    stream.once('error', () => this.close());
  }

  all(): SerialLine[] {
    return [...this.lines];
  }

  since(index: number): SerialLine[] {
    return this.lines.filter((l) => l.index >= index);
  }

  get lineCount(): number {
    return this.nextIndex;
  }

  lastLines(n = 20): string[] {
    const tail = this.lines.slice(-n).map((l) => l.text);
    const pending = this.pendingText();
    return pending ? [...tail, pending] : tail;
  }

  onLine(l: Listener): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  /**
   * Wait for the first line at or after `fromIndex` matching `pattern`.
   * Bounded: rejects with WaitTimeoutError naming the pattern and the last lines seen.
   */
  waitFor(
    pattern: LinePattern,
    opts: { timeoutMs: number; fromIndex?: number; signal?: AbortSignal; what?: string },
  ): Promise<SerialLine> {
    const test = (text: string): boolean =>
      typeof pattern === 'string'
        ? text.includes(pattern)
        : typeof pattern === 'function'
          ? pattern(text)
          : pattern.test(text);
    const what = opts.what ?? (typeof pattern === 'string' ? JSON.stringify(pattern) : String(pattern));
    const from = opts.fromIndex ?? 0;
    const seen = this.lines.find((l) => l.index >= from && test(l.text));
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      if (this.closed) {
        reject(new WaitTimeoutError(what, opts.timeoutMs, this.lastLines(), 'closed'));
        return;
      }
      const cleanup = (): void => {
        clearTimeout(timer);
        offLine();
        this.closeListeners.delete(onClose);
        opts.signal?.removeEventListener('abort', onAbort);
      };
      const offLine = this.onLine((line) => {
        if (line.index >= from && test(line.text)) {
          cleanup();
          resolve(line);
        }
      });
      const onClose = (): void => {
        cleanup();
        reject(new WaitTimeoutError(what, opts.timeoutMs, this.lastLines(), 'closed'));
      };
      const onAbort = (): void => {
        cleanup();
        reject(new WaitTimeoutError(what, opts.timeoutMs, this.lastLines(), 'aborted'));
      };
      this.closeListeners.add(onClose);
      opts.signal?.addEventListener('abort', onAbort, { once: true });
      const timer = setTimeout(() => {
        cleanup();
        reject(new WaitTimeoutError(what, opts.timeoutMs, this.lastLines(), 'timeout'));
      }, opts.timeoutMs);
    });
  }
}
