// On-target TAP (12, 13 or 14) parsed with tap-parser while the serial stream
// delivers it, interleaved with the target's other console output.
//
// Start: a "TAP version" line at any point; or, after the boot marker (the
// `after` pattern, when given), the first plan, test point or "# Subtest" line:
// `prove` (Test::More) and `bats --tap` print no version line, which TAP 12/13
// allow. Inside the stream, unindented lines that are not TAP are the console's
// own output and are kept from the parser (TAP says to ignore them; fed in they
// would cut a YAML block or a subtest short).
// End: a top-level plan after the points (trailing plan, as `prove` and
// `node --test` print it); or the leading plan satisfied and a non-TAP line
// following (the last point's YAML is included); a bail-out; or the stream ends.
// Nested subtests become points named "parent > child"; TODO and SKIP keep
// their reason.
import { Parser } from 'tap-parser';

export interface TapPoint {
  /** 1-based position among all points, nested ones included (stable per run) */
  seq: number;
  /** the number the producer gave it (restarts in each subtest) */
  id: number;
  /** "parent > child" for a point inside a subtest; "test point N" when unnamed */
  name: string;
  /** 0 for top-level points */
  depth: number;
  ok: boolean;
  skip: boolean;
  todo: boolean;
  /** the SKIP / TODO reason ("" when the directive gave none) */
  reason: string;
  diag: Record<string, unknown> | null;
  /** "# …" lines right after a failed point (TAP 12 producers put the failure there) */
  comments: string[];
}

export interface TapSummary {
  version?: number;
  plan?: { start: number; end: number };
  /** "1..0 # SKIP why": the producer skipped everything, with its reason */
  skipAll?: string;
  points: TapPoint[];
  bailout?: string;
  complete: boolean;
  /** no TAP, no plan, plan mismatches (top level and in subtests), bail-out */
  problems: string[];
  ok: boolean;
}

interface AssertEvent {
  id: number;
  name: string;
  fullname: string;
  ok: boolean;
  skip: boolean | string;
  todo: boolean | string;
  diag: Record<string, unknown> | null;
}

interface CompleteEvent {
  failures: Array<{ tapError?: string }>;
}

const TAP_LINE = /^(\s|ok\b|not ok\b|\d+\.\.\d+|#|Bail out!|TAP version|pragma [+-])/;
const STARTS_WITHOUT_VERSION = /^(ok\b|not ok\b|\d+\.\.\d+|# Subtest\b)/;
const POINT = /^(ok|not ok)\b/;
const PLAN = /^(\d+)\.\.(\d+)/;

export interface TapStreamOptions {
  /** console line after which a plan or test line (not only "TAP version") starts the stream */
  after?: RegExp;
}

export class TapStream {
  private parser?: Parser;
  private points: TapPoint[] = [];
  private plan?: { start: number; end: number };
  private skipAll?: string;
  private bail?: string;
  private version?: number;
  private ended = false;
  private markerSeen: boolean;
  /** top-level point lines seen, counted on the lines: tap-parser holds the last point back */
  private pointLines = 0;
  private inYaml = false;
  private childProblems: string[] = [];
  private resolveDone!: (s: TapSummary) => void;
  readonly done: Promise<TapSummary>;

  constructor(private readonly opts: TapStreamOptions = {}) {
    this.markerSeen = opts.after === undefined;
    this.done = new Promise((r) => (this.resolveDone = r));
  }

  get started(): boolean {
    return this.parser !== undefined;
  }

  get finished(): boolean {
    return this.ended;
  }

  /** feed one serial line (without its line ending) */
  feed(line: string): void {
    if (this.ended) return;
    const text = line.replace(/\r$/, '');
    if (!this.parser) {
      const version = /^TAP version (\d+)\s*$/.exec(text);
      if (!version && !(this.markerSeen && STARTS_WITHOUT_VERSION.test(text))) {
        if (!this.markerSeen && this.opts.after!.test(text)) this.markerSeen = true;
        return;
      }
      if (version) this.version = Number(version[1]);
      this.start();
    }
    if (!TAP_LINE.test(text)) {
      // console output: it closes the stream once the leading plan is met, unless
      // it landed inside the last point's YAML block
      const planMet = this.plan !== undefined && this.pointLines >= this.plan.end - this.plan.start + 1;
      if (planMet && !this.inYaml) this.end();
      return;
    }
    const trailingPlan = PLAN.test(text) && this.pointLines > 0;
    if (POINT.test(text)) this.pointLines++;
    if (/^\s*(ok|not ok)\b/.test(text)) this.inYaml = false;
    else if (/^\s+---\s*$/.test(text)) this.inYaml = true;
    else if (/^\s+\.\.\.\s*$/.test(text)) this.inYaml = false;
    this.parser!.write(text + '\n');
    if (this.bail !== undefined || trailingPlan) this.end();
  }

  private start(): void {
    const parser = new Parser({ bail: false });
    this.parser = parser;
    this.listen(parser, 0);
    parser.on('plan', (p: { start: number; end: number; comment?: string }) => {
      this.plan = { start: p.start, end: p.end };
      if (p.end < p.start) this.skipAll = (p.comment ?? '').replace(/^skip\b\s*/i, '') || '(no reason given)';
    });
    parser.on('bailout', (reason: string) => {
      this.bail = reason || '(no reason given)';
    });
  }

  /** points and comments of one parser, then of each subtest's parser */
  private listen(parser: Parser, depth: number): void {
    parser.on('assert', (r: AssertEvent) => {
      const reason = typeof r.skip === 'string' ? r.skip : typeof r.todo === 'string' ? r.todo : '';
      const name = (r.fullname || r.name || '').trim();
      this.points.push({
        seq: this.points.length + 1,
        id: r.id,
        name: name || `test point ${r.id}`,
        depth,
        ok: r.ok,
        skip: r.skip !== false,
        todo: r.todo !== false,
        reason,
        diag: r.diag ?? null,
        comments: [],
      });
    });
    parser.on('comment', (c: string) => {
      const last = this.points[this.points.length - 1];
      const text = c.trimEnd();
      if (last && !last.ok && last.depth === depth && !/^# (Subtest\b|test count\()/.test(text))
        last.comments.push(text);
    });
    parser.on('child', (child: Parser) => {
      this.listen(child, depth + 1);
      child.on('complete', (c: CompleteEvent) => {
        for (const f of c.failures)
          if (f.tapError) this.childProblems.push(`subtest "${child.fullname}": ${f.tapError}`);
      });
    });
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
    const top = this.points.filter((p) => p.depth === 0).length;
    if (!this.parser)
      problems.push(
        'no TAP was seen on the console (expected a "TAP version" line, or a plan "1..N" or a test line after the boot marker)',
      );
    else if (!this.plan) problems.push(`no plan line (1..N) was seen after ${top} test points`);
    else if (this.skipAll === undefined) {
      const planned = this.plan.end - this.plan.start + 1;
      if (top < planned) problems.push(`planned ${planned} test points, saw ${top}`);
      if (top > planned) problems.push(`planned ${planned} test points, saw ${top} (points past the plan)`);
    }
    problems.push(...this.childProblems);
    if (this.bail !== undefined) problems.push(`the target bailed out: ${this.bail}`);
    const ok = problems.length === 0 && this.points.every((p) => p.ok || p.skip || p.todo);
    return {
      version: this.version,
      plan: this.plan,
      skipAll: this.skipAll,
      points: this.points.map((p) => ({ ...p, comments: [...p.comments] })),
      bailout: this.bail,
      complete: this.ended && this.plan !== undefined,
      problems,
      ok,
    };
  }
}

/**
 * How one point is judged: SKIP and TODO are skipped with their reason (a TODO
 * may fail, that is what it says), any other "not ok" is a failure sentence
 * carrying the producer's own diagnostics (YAML, or TAP 12's "#" lines).
 */
export function tapVerdict(p: TapPoint): { skipped?: string; failure?: string } {
  const why = p.reason || '(no reason given)';
  if (p.skip) return { skipped: `the target skipped this self-test: ${why}` };
  if (p.todo)
    return {
      skipped: `TODO on the target (${p.ok ? 'passed, not yet expected to' : 'not ok, as expected'}): ${why}`,
    };
  if (p.ok) return {};
  const detail = [
    ...(p.diag ? [JSON.stringify(p.diag)] : []),
    ...p.comments.map((c) => c.replace(/^#\s*/, '')),
  ].join('; ');
  return {
    failure: `the target reported "not ok ${p.id} - ${p.name}"${detail ? `: ${detail}` : ''}`,
  };
}
