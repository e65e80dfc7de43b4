// Disk-backed buckets for the trace diff: many append-only files, each written
// through a small in-memory buffer; all buffers together stay within a fixed
// budget no matter how many buckets there are or how much is written.
import { open, type FileHandle } from 'node:fs/promises';
import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import { splitLineBatches, type NumberedLine } from './lines.ts';

// All buckets' buffers together stay within BUFFER_BUDGET: with a bucket count that
// grows with the trace, a fixed per-bucket buffer made memory grow with it too.
const BUFFER_BUDGET = 8 * 1024 * 1024;
const MAX_FLUSH_BYTES = 64 * 1024;
const MIN_FLUSH_BYTES = 4 * 1024;

export class BucketWriter {
  private readonly pending: string[][];
  private readonly pendingBytes: number[];
  private readonly handles: Array<FileHandle | undefined>;
  readonly paths: string[];
  private readonly flushBytes: number;

  constructor(dir: string, prefix: string, count: number) {
    this.flushBytes = Math.max(MIN_FLUSH_BYTES, Math.min(MAX_FLUSH_BYTES, Math.floor(BUFFER_BUDGET / count)));
    this.paths = Array.from({ length: count }, (_, i) => join(dir, `${prefix}-${i}.part`));
    this.pending = Array.from({ length: count }, () => []);
    this.pendingBytes = new Array<number>(count).fill(0);
    this.handles = new Array<FileHandle | undefined>(count).fill(undefined);
  }

  /**
   * Append one line (no newline in it) to bucket i. Returns a promise only when the
   * bucket's buffer was flushed: callers await it then, and stay synchronous (fast)
   * otherwise.
   */
  write(i: number, line: string): Promise<void> | undefined {
    this.pending[i]!.push(line);
    this.pendingBytes[i]! += line.length + 1;
    return this.pendingBytes[i]! >= this.flushBytes ? this.flush(i) : undefined;
  }

  private async flush(i: number): Promise<void> {
    const lines = this.pending[i]!;
    if (lines.length === 0) return;
    this.pending[i] = [];
    this.pendingBytes[i] = 0;
    let h = this.handles[i];
    if (!h) {
      h = await open(this.paths[i]!, 'a');
      this.handles[i] = h;
    }
    await h.write(lines.join('\n') + '\n');
  }

  /** Flush and close every bucket; buckets never written to do not exist on disk. */
  async close(): Promise<void> {
    for (let i = 0; i < this.paths.length; i++) await this.flush(i);
    await Promise.all(this.handles.map((h) => h?.close()));
    this.handles.fill(undefined);
  }

  /** Close without flushing (error paths). */
  async abort(): Promise<void> {
    await Promise.all(this.handles.map((h) => h?.close().catch(() => undefined)));
    this.handles.fill(undefined);
  }
}

/** Lines of a bucket in batches; a bucket that was never written is empty. */
export async function* readBucket(path: string): AsyncGenerator<NumberedLine[]> {
  const stream = createReadStream(path, { highWaterMark: 256 * 1024 });
  const opened = await new Promise<boolean>((resolve) => {
    stream.once('open', () => resolve(true));
    stream.once('error', () => resolve(false));
  });
  if (!opened) return;
  yield* splitLineBatches(stream, path, Number.MAX_SAFE_INTEGER);
}
