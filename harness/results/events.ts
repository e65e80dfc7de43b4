// The result stream: one JSON object a line in <out>/events.jsonl, appended and
// flushed as the run goes, so a run that is killed leaves every line it wrote valid.
// Reporters observe these events and nothing else. Bump EVENTS_VERSION on any
// incompatible change; readers refuse versions they do not know.
import type { EvidenceRef } from '../fixtures/meta.ts';

export const EVENTS_VERSION = 1;

export type CaseStatus = 'passed' | 'failed' | 'skipped' | 'infra-error';
export type RunStatus = 'passed' | 'failed' | 'infra-error' | 'interrupted';

export interface Provenance {
  harnessVersion: string;
  gitCommit?: string;
  targetKind: string;
  targetName: string;
  defect?: string;
  node: string;
  host: string;
  /** e.g. imageSha256, qemuVersion, bundle */
  [fact: string]: string | undefined;
}

export interface CaseRef {
  /** stable across runs and shards: "<suite>::<file>::<full title>" */
  id: string;
  suite: string;
  /** suite file relative to the project root, e.g. suites/governance/headers.test.ts */
  file: string;
  title: string;
  /** describe blocks and title joined by " > " */
  fullTitle: string;
  /** where the case is declared, for annotations */
  line?: number;
}

export interface CaseError {
  name: string;
  message: string;
  /** where the failing assertion is, when known (file relative to the project root) */
  location?: { file: string; line: number; column?: number };
  diff?: string;
}

export interface MeasurementSummary {
  caseId: string;
  suite: string;
  name: string;
  unit: string;
  samples: number[];
  min: number;
  median: number;
  p95: number;
  max: number;
  statistic: 'min' | 'median' | 'p95' | 'max';
  budget?: number;
  withinBudget?: boolean;
  detail?: unknown;
  schema?: string;
}

interface Base {
  v: typeof EVENTS_VERSION;
  seq: number;
  /** ISO wall-clock time the event was written */
  at: string;
}

export interface RunStartEvent extends Base {
  type: 'run-start';
  runId: string;
  provenance: Provenance;
  plan: { suites: string[]; files: string[]; grep?: string; shard?: { index: number; total: number } };
}
export interface CaseStartEvent extends Base {
  type: 'case-start';
  case: CaseRef;
}
export interface CaseEndEvent extends Base {
  type: 'case-end';
  case: CaseRef;
  status: CaseStatus;
  durationMs: number;
  error?: CaseError;
  evidence: EvidenceRef[];
}
export interface MeasurementEvent extends Base {
  type: 'measurement';
  measurement: MeasurementSummary;
}
export interface LogEvent extends Base {
  type: 'log';
  level: 'info' | 'warn' | 'error';
  message: string;
}
export interface RunEndEvent extends Base {
  type: 'run-end';
  status: RunStatus;
  durationMs: number;
  reason: 'completed' | 'interrupted';
  /** errors outside any case (a suite file that failed to load, a worker crash) */
  unhandledErrors: CaseError[];
}

export type ResultEvent =
  RunStartEvent | CaseStartEvent | CaseEndEvent | MeasurementEvent | LogEvent | RunEndEvent;

/** An event before the sink stamps it with v, seq and at. */
export type NewEvent = ResultEvent extends infer E
  ? E extends ResultEvent
    ? Omit<E, 'v' | 'seq' | 'at'>
    : never
  : never;
