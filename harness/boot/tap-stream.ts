// On-target TAP parsed with tap-parser while the serial stream delivers it.
// Starts at "TAP version", ends when the plan is satisfied and a non-TAP line
// follows (the last point's YAML diagnostics are included), on a bail-out, or
// when the stream ends. Each point keeps its name, status and diagnostics.
import { Parser } from 'tap-parser';

export interface TapPoint {
  id: number;
  name: string;
  ok: boolean;
  skip: boolean;
  todo: boolean;
  diag: Record<string, unknown> | null;
}

export interface TapSummary {
  version?: number;
  plan?: { start: number; end: number };
  points: TapPoint[];
  bailout?: string;
  complete: boolean;
  /** plan missing, points past the plan, fewer points than planned */
  problems: string[];
  ok: boolean;
}

export class TapStream {
  private parser?: Parser;
  private points: TapPoint[] = [];
  private plan?: { start: number; end: number };
  private bail?: string;
  private version?: number;
  private ended = false;
  private pointLines = 0;
  private resolveDone!: (s: TapSummary) => void;
  readonly done: Promise<TapSummary>;

  constructor() {
    this.done = new Promise((r) => (this.resolveDone = r));
  }

  get started(): boolean {
    return this.parser !== undefined;
  }

  get finished(): boolean {
    return this.ended;
  }

  /** feed one serial line (without its line ending) */
  feed(text: string): void {
    if (this.ended) return;
    if (!this.parser) {
      const m = /^TAP version (\d+)/.exec(text);
      if (!m) return;
      this.version = Number(m[1]);
      this.parser = new Parser({ bail: false });
      this.parser.on(
        'assert',
        (r: {
          id: number;
          name: string;
          ok: boolean;
          skip: boolean | string;
          todo: boolean | string;
          diag: Record<string, unknown> | null;
        }) => {
          this.points.push({
            id: r.id,
            name: r.name,
            ok: r.ok,
            skip: Boolean(r.skip),
            todo: Boolean(r.todo),
            diag: r.diag ?? null,
          });
        },
      );
      this.parser.on('plan', (p: { start: number; end: number }) => {
        this.plan = { start: p.start, end: p.end };
      });
      this.parser.on('bailout', (reason: string) => {
        this.bail = reason || '(no reason given)';
      });
      this.parser.write(text + '\n');
      return;
    }
    const isTapish = /^(\s|ok\b|not ok\b|1\.\.\d|#|Bail out!|TAP version)/.test(text);
    // tap-parser holds the last point back (it may carry YAML) until end(), so
    // completion is judged on the point lines seen here
    const planDone = this.plan !== undefined && this.pointLines >= this.plan.end - this.plan.start + 1;
    if (!isTapish && planDone) {
      this.end();
      return;
    }
    if (/^(ok|not ok)\b/.test(text)) this.pointLines++;
    this.parser.write(text + '\n');
    if (this.bail !== undefined) this.end();
  }

  /** finish now (stream ended or the caller's bound ran out) */
  end(): TapSummary {
    if (!this.ended) {
      this.ended = true;
      this.parser?.end();
      this.resolveDone(this.summary());
    }
    return this.summary();
  }

  summary(): TapSummary {
    const problems: string[] = [];
    if (!this.parser) problems.push('no "TAP version" line was seen');
    else if (!this.plan) problems.push('no plan line (1..N) was seen');
    else {
      const planned = this.plan.end - this.plan.start + 1;
      if (this.points.length < planned)
        problems.push(`planned ${planned} test points, saw ${this.points.length}`);
      if (this.points.length > planned)
        problems.push(`planned ${planned} test points, saw ${this.points.length} (points past the plan)`);
    }
    if (this.bail !== undefined) problems.push(`bail out: ${this.bail}`);
    const ok = problems.length === 0 && this.points.every((p) => p.ok || p.skip || p.todo);
    return {
      version: this.version,
      plan: this.plan,
      points: [...this.points],
      bailout: this.bail,
      complete: this.ended && this.plan !== undefined,
      problems,
      ok,
    };
  }
}
