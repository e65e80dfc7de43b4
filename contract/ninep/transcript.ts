// A bounded record of the frames a connection sent and received, attached as
// evidence when a 9P check fails. Only summaries are kept (never data bytes),
// so file contents and tokens do not leak into reports.
export interface TranscriptEntry {
  /** ms since the transcript was created */
  t: number;
  /** '>' sent, '<' received, '!' connection event */
  dir: '>' | '<' | '!';
  text: string;
}

const MAX_TEXT = 300;

export class Transcript {
  private readonly entries: TranscriptEntry[] = [];
  private readonly start = performance.now();
  /** entries dropped because the bound was reached */
  dropped = 0;

  constructor(readonly limit: number) {}

  add(dir: TranscriptEntry['dir'], text: string): void {
    this.entries.push({
      t: Math.round(performance.now() - this.start),
      dir,
      text: text.length > MAX_TEXT ? text.slice(0, MAX_TEXT) + '…' : text,
    });
    if (this.entries.length > this.limit) {
      this.entries.shift();
      this.dropped++;
    }
  }

  list(): readonly TranscriptEntry[] {
    return this.entries;
  }

  /** The last `last` entries (all by default) as text, one frame a line. */
  text(last = this.entries.length): string {
    const shown = this.entries.slice(-last);
    const head =
      this.dropped > 0 && last >= this.entries.length ? [`(${this.dropped} earlier frames dropped)`] : [];
    return [...head, ...shown.map((e) => `${String(e.t).padStart(6)}ms ${e.dir} ${e.text}`)].join('\n');
  }
}
