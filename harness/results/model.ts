// results.json: the run folded from its events. Built the same way for a live
// run and for merge-reports, so both produce identical reports.
import type {
  CaseError,
  CaseRef,
  CaseStatus,
  EvidenceRef,
  MeasurementSummary,
  Provenance,
  QuarantineEntry,
  ResultEvent,
  RunPolicy,
  RunStatus,
} from './events.ts';
import { isExpired, quarantineFor } from '../nightly/quarantine.ts';

export const RESULTS_VERSION = 1;

/** One run of one case. */
export interface Attempt {
  attempt: number;
  status: CaseStatus;
  durationMs: number;
  /** re-ran because an earlier attempt failed, rather than a planned repeat */
  retry?: boolean;
  error?: CaseError;
}

export interface CaseResult extends CaseRef {
  /** folded over the attempts: passed and failed both seen → passed, with flaky set */
  status: CaseStatus;
  /** the sum over all attempts: what the case cost this run */
  durationMs: number;
  /** the last failing attempt's error when the case failed or is flaky */
  error?: CaseError;
  evidence: EvidenceRef[];
  /** reported, not failing: choices the contract leaves open, checks left out (every attempt's, once each) */
  notes?: string[];
  /** why the case was skipped (its last attempt's reason), when it was */
  skipReason?: string;
  /** present when the case ran more than once */
  attempts?: Attempt[];
  /** it both passed and failed (a product failure) within this run */
  flaky?: boolean;
  /** the quarantine entry that covers this case (failures then do not fail the run) */
  quarantine?: QuarantineEntry;
}

export interface Summary {
  total: number;
  passed: number;
  failed: number;
  skipped: number;
  infraErrors: number;
  /** cases that both passed and failed (counted under passed) */
  flaky: number;
  /** failures and infrastructure errors covered by quarantine (not counted under failed / infraErrors) */
  quarantined: number;
  status: RunStatus;
}

export interface RunResults {
  version: typeof RESULTS_VERSION;
  runs: Array<{
    runId: string;
    startedAt: string;
    endedAt?: string;
    durationMs?: number;
    provenance: Provenance;
    shard?: { index: number; total: number };
    reason?: 'completed' | 'interrupted';
  }>;
  summary: Summary;
  cases: CaseResult[];
  measurements: MeasurementSummary[];
  unhandledErrors: CaseError[];
  /** the run's policy on repeats, retries and flakiness, when one was set */
  policy?: Omit<RunPolicy, 'quarantine'>;
  /** the quarantine entries in force and those that expired (each fails the run) */
  quarantine?: { entries: QuarantineEntry[]; expired: QuarantineEntry[] };
}

const STATUS_RANK: Record<RunStatus, number> = { passed: 0, 'infra-error': 1, failed: 2, interrupted: 3 };

/** Worst status wins: interrupted > failed > infra-error > passed (a product failure is definite; infra means unknown). */
export function worstStatus(a: RunStatus, b: RunStatus): RunStatus {
  return STATUS_RANK[a] >= STATUS_RANK[b] ? a : b;
}

export interface SummaryPolicy {
  failOnFlaky?: boolean;
  /** expired quarantine entries: each fails the run */
  expired?: number;
}

export function summarize(
  cases: CaseResult[],
  base: RunStatus,
  unhandled: number,
  policy: SummaryPolicy = {},
): Summary {
  const counted = cases.filter((c) => !isQuarantinedFailure(c));
  const count = (s: CaseStatus) => counted.filter((c) => c.status === s).length;
  const failed = count('failed');
  const infraErrors = count('infra-error');
  const flaky = cases.filter((c) => c.flaky).length;
  const policyFailure = (policy.failOnFlaky === true && flaky > 0) || (policy.expired ?? 0) > 0;
  let status: RunStatus =
    failed > 0 || policyFailure ? 'failed' : infraErrors > 0 || unhandled > 0 ? 'infra-error' : 'passed';
  status = worstStatus(status, base);
  return {
    total: cases.length,
    passed: count('passed'),
    failed,
    skipped: count('skipped'),
    infraErrors,
    flaky,
    quarantined: cases.length - counted.length,
    status,
  };
}

/** A quarantined case that did not pass: reported, but it does not count against the run. */
export function isQuarantinedFailure(c: CaseResult): boolean {
  return c.quarantine !== undefined && (c.status === 'failed' || c.status === 'infra-error');
}

/**
 * Fold a case's attempts into one status. A product failure and a pass → passed and
 * flaky. An infrastructure error says nothing about the product, so infra errors
 * and a pass → passed (not flaky); only infra errors → infra-error.
 */
export function foldAttempts(attempts: readonly Attempt[]): { status: CaseStatus; flaky: boolean } {
  const has = (s: CaseStatus) => attempts.some((a) => a.status === s);
  if (has('passed') && has('failed')) return { status: 'passed', flaky: true };
  if (has('failed')) return { status: 'failed', flaky: false };
  if (has('passed')) return { status: 'passed', flaky: false };
  if (has('infra-error')) return { status: 'infra-error', flaky: false };
  return { status: 'skipped', flaky: false };
}

/**
 * Fold one or more event streams (one per shard, or one per repeated run) into
 * results. Every case-end is one attempt of its case, whichever stream it came from.
 */
export function foldEvents(streams: ResultEvent[][]): RunResults {
  const runs: RunResults['runs'] = [];
  const refs = new Map<string, CaseRef>();
  const attempts = new Map<string, Attempt[]>();
  const evidence = new Map<string, EvidenceRef[]>();
  const notes = new Map<string, Set<string>>();
  const skipReasons = new Map<string, string>();
  const open = new Map<string, { ref: CaseRef; attempt: number }>();
  const measurements: MeasurementSummary[] = [];
  const unhandled: CaseError[] = [];
  let base: RunStatus = 'passed';
  let policy: RunPolicy | undefined;
  let judgedAt: string | undefined;
  for (const events of streams) {
    let run: RunResults['runs'][number] | undefined;
    for (const e of events) {
      switch (e.type) {
        case 'run-start':
          run = { runId: e.runId, startedAt: e.at, provenance: e.provenance, shard: e.plan.shard };
          runs.push(run);
          if (e.plan.policy) policy = mergePolicy(policy, e.plan.policy);
          // quarantine expiry is judged at the earliest start, so a merge judges as the runs did
          if (judgedAt === undefined || e.at < judgedAt) judgedAt = e.at;
          break;
        case 'case-start':
          open.set(`${e.case.id}#${e.attempt ?? 1}`, { ref: e.case, attempt: e.attempt ?? 1 });
          break;
        case 'case-end': {
          const n = e.attempt ?? 1;
          refs.set(e.case.id, e.case);
          const list = attempts.get(e.case.id) ?? [];
          list.push({
            attempt: n,
            status: e.status,
            durationMs: e.durationMs,
            ...(e.retry ? { retry: true } : {}),
            ...(e.error ? { error: e.error } : {}),
          });
          attempts.set(e.case.id, list);
          if (e.evidence.length || !evidence.has(e.case.id))
            evidence.set(e.case.id, [...(evidence.get(e.case.id) ?? []), ...e.evidence]);
          if (e.skipReason) skipReasons.set(e.case.id, e.skipReason);
          if (e.notes?.length) {
            const set = notes.get(e.case.id) ?? new Set<string>();
            for (const note of e.notes) set.add(note);
            notes.set(e.case.id, set);
          }
          open.delete(`${e.case.id}#${n}`);
          break;
        }
        case 'measurement':
          measurements.push(e.measurement);
          break;
        case 'run-end':
          if (run) {
            run.endedAt = e.at;
            run.durationMs = e.durationMs;
            run.reason = e.reason;
          }
          unhandled.push(...e.unhandledErrors);
          if (e.status === 'interrupted') base = worstStatus(base, 'interrupted');
          break;
        case 'log':
          break;
      }
    }
    // a stream with no run-end was killed: cases it started never finished
    if (run && run.endedAt === undefined) {
      base = worstStatus(base, 'interrupted');
      run.reason = 'interrupted';
    }
  }
  for (const { ref, attempt } of open.values()) {
    refs.set(ref.id, refs.get(ref.id) ?? ref);
    const list = attempts.get(ref.id) ?? [];
    list.push({
      attempt,
      status: 'infra-error',
      durationMs: 0,
      error: { name: 'Interrupted', message: 'the run ended before this case finished' },
    });
    attempts.set(ref.id, list);
  }
  const entries = policy?.quarantine ?? [];
  const at = judgedAt ?? new Date().toISOString();
  const live = entries.filter((q) => !isExpired(q, at));
  const cases: CaseResult[] = [];
  for (const [id, list] of attempts) {
    list.sort((a, b) => a.attempt - b.attempt);
    const { status, flaky } = foldAttempts(list);
    const lastBad = [...list].reverse().find((a) => a.status === 'failed' || a.status === 'infra-error');
    const q = quarantineFor(id, live);
    cases.push({
      ...refs.get(id)!,
      status,
      durationMs: list.reduce((t, a) => t + a.durationMs, 0),
      ...((status === 'failed' || status === 'infra-error' || flaky) && lastBad?.error
        ? { error: lastBad.error }
        : {}),
      evidence: evidence.get(id) ?? [],
      ...(notes.has(id) ? { notes: [...notes.get(id)!] } : {}),
      ...(status === 'skipped' && skipReasons.has(id) ? { skipReason: skipReasons.get(id)! } : {}),
      ...(list.length > 1 ? { attempts: list } : {}),
      ...(flaky ? { flaky: true } : {}),
      ...(q ? { quarantine: q } : {}),
    });
  }
  const sorted = cases.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const expired = entries.filter((q) => isExpired(q, at));
  const policyRest = policy && {
    repeat: policy.repeat,
    retries: policy.retries,
    retryProduct: policy.retryProduct,
    failOnFlaky: policy.failOnFlaky,
    ...(policy.quarantineFile ? { quarantineFile: policy.quarantineFile } : {}),
  };
  return {
    version: RESULTS_VERSION,
    runs,
    summary: summarize(sorted, base, unhandled.length, {
      failOnFlaky: policy?.failOnFlaky,
      expired: expired.length,
    }),
    cases: sorted,
    measurements,
    unhandledErrors: unhandled,
    ...(policy ? { policy: policyRest } : {}),
    ...(entries.length ? { quarantine: { entries, expired } } : {}),
  };
}

/** Streams merged together: the strictest flakiness rule, every quarantine entry once. */
function mergePolicy(a: RunPolicy | undefined, b: RunPolicy): RunPolicy {
  if (!a) return { ...b, quarantine: [...b.quarantine] };
  const quarantine = [...a.quarantine];
  for (const q of b.quarantine) if (!quarantine.some((x) => x.pattern === q.pattern)) quarantine.push(q);
  return {
    repeat: Math.max(a.repeat, b.repeat),
    retries: Math.max(a.retries, b.retries),
    retryProduct: a.retryProduct || b.retryProduct,
    failOnFlaky: a.failOnFlaky || b.failOnFlaky,
    quarantine,
    quarantineFile: a.quarantineFile ?? b.quarantineFile,
  };
}

export function exitCodeFor(status: RunStatus): number {
  switch (status) {
    case 'passed':
      return 0;
    case 'failed':
      return 1;
    case 'infra-error':
      return 3;
    case 'interrupted':
      return 130;
  }
}
