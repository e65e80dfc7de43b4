// Translates vitest's reporter callbacks into cohesix-qa result events. This is
// the only place that knows vitest's reporter API; everything downstream reads
// the versioned event stream.
import { relative, sep } from 'node:path';
import type { Reporter as VitestReporter, TestCase, TestModule } from 'vitest/node';
import type { CaseError, CaseRef, CaseStatus, MeasurementSummary } from '../results/events.ts';
import type { EventSink } from '../results/sink.ts';
import { summarize } from '../results/stats.ts';
import { DEFAULT_STATISTIC, judgeBudget } from '../results/budget.ts';
import { formatProblems, type Problem } from '../results/problem.ts';
import '../fixtures/meta.ts';

interface SerializedErrorLike {
  name?: string;
  message?: string;
  stack?: string;
  stacks?: Array<{ file: string; line: number; column: number }>;
  diff?: string;
  /** set by ProblemsError (harness/results/problem.ts): every problem one check found */
  problems?: Problem[];
}

export interface BridgeOptions {
  root: string;
  sink: EventSink;
  /** cases whose full title does not contain this are filtered out, not counted as skipped */
  grep?: string;
  /**
   * why a suite area's service is down and since when (it crashed mid-run): its cases that
   * failed, or passed but ended after that moment, are infrastructure errors
   */
  serviceDown?: (suite: string) => { reason: string; at: number } | undefined;
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

// vitest's diffs carry terminal colours
// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;]*m/g;

const PLAIN_NAMES = new Set(['Error', 'AssertionError', 'ProblemsError', 'InfraError', 'ProductError']);

/** The problems one serialized error stands for: a ProblemsError's list, else the error itself. */
function problemsOf(root: string, e: SerializedErrorLike, err: CaseError): Problem[] {
  if (Array.isArray(e.problems) && e.problems.length > 0)
    return e.problems.map((p) => {
      const location = p.location
        ? { ...p.location, file: relative(root, p.location.file).split(sep).join('/') }
        : err.location;
      return { ...p, ...(location ? { location } : {}) };
    });
  // an assertion's diff is the only place its details live (e.g. the lists two values differ by)
  const diff = e.diff?.replace(ANSI, '').trim();
  // a crash says what kind it was (TypeError, RangeError, …): the report must not pass it off as a check
  const text = PLAIN_NAMES.has(err.name) ? err.message : `${err.name}: ${err.message}`;
  const message = diff && diff.length <= 4000 ? `${text}\n${diff}` : text;
  return [{ message, ...(err.location ? { location: err.location } : {}) }];
}

/**
 * Every error of a failed attempt folded into one CaseError: `problems` lists them
 * all (soft assertions, a check's problem list, a teardown's error), `message` is
 * their whole text, name and location are the first error's. An infrastructure
 * error stays one only when no product problem was found beside it.
 */
export function toCaseErrors(
  root: string,
  errors: readonly SerializedErrorLike[],
  preferFile?: string,
): CaseError {
  if (errors.length === 0) return { name: 'Error', message: 'failed without an error' };
  // vitest reports a fixture teardown's error twice: one problem list is listed once
  const unique = errors.filter(
    (e, i) =>
      !Array.isArray(e.problems) ||
      !errors.slice(0, i).some((o) => o.name === e.name && o.message === e.message && o.stack === e.stack),
  );
  const each = unique.map((e) => ({ e, err: toCaseError(root, e, preferFile) }));
  const first = each[0]!.err;
  const product = each.find(({ err }) => err.name !== 'InfraError');
  const name = first.name === 'InfraError' && product ? product.err.name : first.name;
  const problems = each.flatMap(({ e, err }) => problemsOf(root, e, err));
  const single = unique.length === 1 && !Array.isArray(unique[0]!.problems);
  // a problem list thrown at teardown has no suite frame; its first problem's line does
  const location = first.location?.file.startsWith('harness/') ? problems[0]?.location : first.location;
  return {
    name,
    message: single ? first.message : formatProblems(problems),
    ...(location ? { location } : first.location ? { location: first.location } : {}),
    ...(first.diff !== undefined ? { diff: first.diff } : {}),
    problems,
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
  // a case skipped at once (skip() in a fixture) can end, through the module-end
  // scan, before vitest's throttled task updates deliver its start: emit the
  // start with the end then, and drop the late one, so no case looks unfinished
  let started = new Set<string>();
  const start = (ref: CaseRef) => {
    if (started.has(ref.id)) return;
    started.add(ref.id);
    sink.emit({ type: 'case-start', case: ref, attempt });
  };

  const end = (tc: TestCase) => {
    const ref = caseRef(root, tc);
    if (filtered(ref) || seen.has(ref.id)) return;
    seen.add(ref.id);
    start(ref);
    const result = tc.result();
    const diag = tc.diagnostic();
    const meta = tc.meta().cohesix ?? {};
    let status: CaseStatus =
      result.state === 'passed' ? 'passed' : result.state === 'failed' ? 'failed' : 'skipped';
    let error: CaseError | undefined;
    if (result.state === 'failed') {
      error = toCaseErrors(root, result.errors as readonly SerializedErrorLike[], ref.file);
      if (error.name === 'InfraError') status = 'infra-error';
      // a case that judged another file (a `.coh` script) says where the failure is
      if (meta.location) error.location = { file: meta.location.file, line: meta.location.line };
    }
    const down = opts.serviceDown?.(ref.suite);
    const endedAt = (diag?.startTime ?? 0) + (diag?.duration ?? 0);
    if (down && (status === 'failed' || (status === 'passed' && endedAt >= down.at))) {
      // the case met a dead service: the target failed it, not the product; and a pass
      // against a dead service (a refusal check meeting a closed port) says nothing
      error = {
        ...(error ?? {}),
        name: 'InfraError',
        message: `${down.reason}\n${error ? `the case failed meanwhile: ${error.message}` : 'the case passed, but against a service that had stopped: its verdict says nothing'}`,
      };
      status = 'infra-error';
    }
    for (const m of meta.measurements ?? []) {
      const { min, median, p95, max } = summarize(m.samples);
      const statistic = m.statistic ?? DEFAULT_STATISTIC;
      const judged = m.budgetMs === undefined ? undefined : judgeBudget(m.samples, m.budgetMs, statistic);
      const measurement: MeasurementSummary = {
        caseId: ref.id,
        suite: ref.suite,
        name: m.name,
        unit: m.unit,
        samples: m.samples,
        min,
        median,
        p95,
        max,
        statistic,
        budgetMs: m.budgetMs,
        withinBudget: judged?.withinBudget,
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
      ...(result.state === 'skipped' && result.note ? { skipReason: result.note } : {}),
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
    const error = toCaseErrors(root, errors, file);
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
      started = new Set();
    },
    onTestCaseReady(tc) {
      const ref = caseRef(root, tc);
      if (!filtered(ref) && !seen.has(ref.id)) start(ref);
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
