// results.json: the run folded from its events. Built the same way for a live
// run and for merge-reports, so both produce identical reports.
import type {
  CaseError,
  CaseRef,
  CaseStatus,
  MeasurementSummary,
  Provenance,
  ResultEvent,
  RunStatus,
} from './events.ts';
import type { EvidenceRef } from '../fixtures/meta.ts';

export const RESULTS_VERSION = 1;

export interface CaseResult extends CaseRef {
  status: CaseStatus;
  durationMs: number;
  error?: CaseError;
  evidence: EvidenceRef[];
}

export interface Summary {
  total: number;
  passed: number;
  failed: number;
  skipped: number;
  infraErrors: number;
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
}

const STATUS_RANK: Record<RunStatus, number> = { passed: 0, 'infra-error': 1, failed: 2, interrupted: 3 };

/** Worst status wins: interrupted > failed > infra-error > passed (a product failure is definite; infra means unknown). */
export function worstStatus(a: RunStatus, b: RunStatus): RunStatus {
  return STATUS_RANK[a] >= STATUS_RANK[b] ? a : b;
}

export function summarize(cases: CaseResult[], base: RunStatus, unhandled: number): Summary {
  const count = (s: CaseStatus) => cases.filter((c) => c.status === s).length;
  const failed = count('failed');
  const infraErrors = count('infra-error');
  let status: RunStatus = failed > 0 ? 'failed' : infraErrors > 0 || unhandled > 0 ? 'infra-error' : 'passed';
  status = worstStatus(status, base);
  return {
    total: cases.length,
    passed: count('passed'),
    failed,
    skipped: count('skipped'),
    infraErrors,
    status,
  };
}

/** Fold one or more event streams (one per shard) into results. */
export function foldEvents(streams: ResultEvent[][]): RunResults {
  const runs: RunResults['runs'] = [];
  const cases = new Map<string, CaseResult>();
  const started = new Map<string, CaseRef>();
  const measurements: MeasurementSummary[] = [];
  const unhandled: CaseError[] = [];
  let base: RunStatus = 'passed';
  for (const events of streams) {
    let run: RunResults['runs'][number] | undefined;
    for (const e of events) {
      switch (e.type) {
        case 'run-start':
          run = { runId: e.runId, startedAt: e.at, provenance: e.provenance, shard: e.plan.shard };
          runs.push(run);
          break;
        case 'case-start':
          started.set(e.case.id, e.case);
          break;
        case 'case-end': {
          const prev = cases.get(e.case.id);
          const next: CaseResult = {
            ...e.case,
            status: e.status,
            durationMs: e.durationMs,
            error: e.error,
            evidence: e.evidence,
          };
          // the same case in two shards (should not happen) keeps the worse outcome
          if (!prev || caseRank(next.status) >= caseRank(prev.status)) cases.set(e.case.id, next);
          started.delete(e.case.id);
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
  for (const ref of started.values()) {
    if (!cases.has(ref.id)) {
      cases.set(ref.id, {
        ...ref,
        status: 'infra-error',
        durationMs: 0,
        error: { name: 'Interrupted', message: 'the run ended before this case finished' },
        evidence: [],
      });
    }
  }
  const sorted = [...cases.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return {
    version: RESULTS_VERSION,
    runs,
    summary: summarize(sorted, base, unhandled.length),
    cases: sorted,
    measurements,
    unhandledErrors: unhandled,
  };
}

function caseRank(s: CaseStatus): number {
  return { skipped: 0, passed: 1, 'infra-error': 2, failed: 3 }[s];
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
