// Translates vitest's reporter callbacks into cohesix-qa result events. This is
// the only place that knows vitest's reporter API; everything downstream reads
// the versioned event stream.
import { relative, sep } from 'node:path';
import type { Reporter as VitestReporter, TestCase, TestModule } from 'vitest/node';
import type { CaseError, CaseRef, CaseStatus, MeasurementSummary } from '../results/events.ts';
import type { EventSink } from '../results/sink.ts';
import { summarize } from '../results/stats.ts';
import '../fixtures/meta.ts';

interface SerializedErrorLike {
  name?: string;
  message?: string;
  stack?: string;
  stacks?: Array<{ file: string; line: number; column: number }>;
  diff?: string;
}

export interface BridgeOptions {
  root: string;
  sink: EventSink;
  /** cases whose full title does not contain this are filtered out, not counted as skipped */
  grep?: string;
}

export function suiteOf(file: string): string {
  const parts = file.split(/[\\/]/);
  const i = parts.indexOf('suites');
  return i >= 0 && parts[i + 1] ? parts[i + 1]! : 'unknown';
}

export function caseRef(root: string, tc: TestCase): CaseRef {
  const file = relative(root, tc.module.moduleId).split(sep).join('/');
  const suite = suiteOf(file);
  const fullTitle = tc.fullName;
  return {
    id: `${suite}::${file}::${fullTitle}`,
    suite,
    file,
    title: tc.name,
    fullTitle,
    line: tc.location?.line,
  };
}

export function toCaseError(root: string, e: SerializedErrorLike, preferFile?: string): CaseError {
  const frames = (e.stacks ?? []).map((f) => ({ ...f, file: relative(root, f.file).split(sep).join('/') }));
  const frame =
    frames.find((f) => f.file === preferFile) ??
    frames.find((f) => f.file.startsWith('suites/')) ??
    frames.find((f) => !f.file.startsWith('..') && !f.file.includes('node_modules'));
  return {
    name: e.name ?? 'Error',
    message: e.message ?? String(e),
    location: frame ? { file: frame.file, line: frame.line, column: frame.column } : undefined,
    diff: e.diff,
  };
}

/** What the bridge knows about a case after its latest attempt, for retries. */
export interface CaseOutcome {
  ref: CaseRef;
  /** vitest's id of the case, for running just this case again */
  testId: string;
  moduleId: string;
  status: CaseStatus;
}

export interface VitestBridge extends VitestReporter {
  unhandled: CaseError[];
  /** latest status of every case seen, by case id */
  outcomes: Map<string, CaseOutcome>;
  /**
   * Start the next attempt: case events carry this number; with `only`, cases outside
   * that set (run along because they share a file) are not reported.
   */
  beginAttempt(attempt: number, opts?: { only?: ReadonlySet<string>; retry?: boolean }): void;
}

export function createVitestBridge(opts: BridgeOptions): VitestBridge {
  const { root, sink } = opts;
  let attempt = 1;
  let retry = false;
  let only: ReadonlySet<string> | undefined;
  const filtered = (ref: CaseRef) =>
    (opts.grep !== undefined && !ref.fullTitle.includes(opts.grep)) ||
    (only !== undefined && !only.has(ref.id));
  const unhandled: CaseError[] = [];
  const outcomes = new Map<string, CaseOutcome>();
  let seen = new Set<string>();

  const end = (tc: TestCase) => {
    const ref = caseRef(root, tc);
    if (filtered(ref) || seen.has(ref.id)) return;
    seen.add(ref.id);
    const result = tc.result();
    const diag = tc.diagnostic();
    const meta = tc.meta().cohesix ?? {};
    let status: CaseStatus =
      result.state === 'passed' ? 'passed' : result.state === 'failed' ? 'failed' : 'skipped';
    let error: CaseError | undefined;
    if (result.state === 'failed') {
      const first = result.errors[0] as SerializedErrorLike | undefined;
      error = first
        ? toCaseError(root, first, ref.file)
        : { name: 'Error', message: 'failed without an error' };
      if (error.name === 'InfraError') status = 'infra-error';
      if (result.errors.length > 1) error.message += `\n(+${result.errors.length - 1} more errors)`;
    }
    for (const m of meta.measurements ?? []) {
      const s = summarize(m.samples);
      const statistic = m.statistic ?? 'median';
      const measurement: MeasurementSummary = {
        caseId: ref.id,
        suite: ref.suite,
        name: m.name,
        unit: m.unit,
        samples: m.samples,
        ...s,
        statistic,
        budget: m.budget,
        withinBudget: m.budget === undefined ? undefined : s[statistic] <= m.budget,
        detail: m.detail,
        schema: m.schema,
      };
      sink.emit({ type: 'measurement', measurement });
    }
    outcomes.set(ref.id, { ref, testId: tc.id, moduleId: tc.module.moduleId, status });
    sink.emit({
      type: 'case-end',
      case: ref,
      attempt,
      ...(retry ? { retry: true } : {}),
      status,
      durationMs: Math.round(diag?.duration ?? 0),
      error,
      evidence: meta.evidence ?? [],
      ...(meta.notes?.length ? { notes: meta.notes } : {}),
    });
  };

  const moduleFailure = (m: TestModule) => {
    const errors = m.errors() as SerializedErrorLike[];
    if (errors.length === 0) return;
    const file = relative(root, m.moduleId).split(sep).join('/');
    const suite = suiteOf(file);
    const ref: CaseRef = {
      id: `${suite}::${file}::(suite file)`,
      suite,
      file,
      title: '(suite file)',
      fullTitle: '(suite file)',
    };
    if (seen.has(ref.id) || only !== undefined) return;
    seen.add(ref.id);
    const error = toCaseError(root, errors[0]!, file);
    sink.emit({ type: 'case-start', case: ref, attempt });
    sink.emit({
      type: 'case-end',
      case: ref,
      attempt,
      status: error.name === 'InfraError' ? 'infra-error' : 'failed',
      durationMs: 0,
      error: { ...error, message: `the suite file failed outside any case: ${error.message}` },
      evidence: [],
    });
  };

  return {
    unhandled,
    outcomes,
    beginAttempt(n, o = {}) {
      attempt = n;
      retry = o.retry ?? false;
      only = o.only;
      seen = new Set();
    },
    onTestCaseReady(tc) {
      const ref = caseRef(root, tc);
      if (!filtered(ref)) sink.emit({ type: 'case-start', case: ref, attempt });
    },
    onTestCaseResult(tc) {
      end(tc);
    },
    onTestModuleEnd(m) {
      // cases skipped without running never get onTestCaseResult
      for (const tc of m.children.allTests()) if (tc.result().state === 'skipped') end(tc);
      moduleFailure(m);
    },
    onTestRunEnd(modules, errors) {
      for (const m of modules) moduleFailure(m);
      for (const e of errors) {
        const err = toCaseError(root, e as SerializedErrorLike);
        // the same worker crash seen again on a repeat is one error, not several
        if (!unhandled.some((u) => u.message === err.message)) unhandled.push(err);
      }
    },
  };
}
