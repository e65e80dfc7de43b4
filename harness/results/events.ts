// The result stream: one JSON object a line in <out>/events.jsonl, appended and
// flushed as the run goes, so a run that is killed leaves every line it wrote valid.
// Reporters observe these events and nothing else. Bump EVENTS_VERSION on any
// incompatible change; readers refuse versions they do not know. Optional fields
// added later (attempts, run policy) keep version 1: a reader that ignores them
// still folds a correct single-attempt run.
import type { Problem } from './problem.ts';

export const EVENTS_VERSION = 1;

/** a file a case attached (harness/fixtures/core.ts `evidence`) */
export interface EvidenceRef {
  name: string;
  /** path relative to the run's out dir */
  path: string;
  contentType: string;
  /** first lines, inlined so a CI annotation is readable without the file */
  excerpt?: string;
}

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

/** One entry of the quarantine file (schemas/quarantine.schema.json). */
export interface QuarantineEntry {
  /** matched against the case id "<suite>::<file>::<full title>"; `*` matches any run of characters */
  pattern: string;
  reason: string;
  owner: string;
  /** YYYY-MM-DD; the entry stops protecting cases after this day (UTC) */
  expires: string;
}

/** What the run was asked to do about repeats, retries, flakiness and quarantine. */
export interface RunPolicy {
  /** every case runs this many times (1 = once) */
  repeat: number;
  /** extra attempts for a case whose last attempt may be retried */
  retries: number;
  /** retry product failures too, not only infrastructure errors */
  retryProduct: boolean;
  failOnFlaky: boolean;
  quarantine: QuarantineEntry[];
  /** where the quarantine came from, for messages */
  quarantineFile?: string;
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
  /** the whole text: every problem, for readers that print one string */
  message: string;
  /** where the failing assertion is, when known (file relative to the project root) */
  location?: { file: string; line: number; column?: number };
  diff?: string;
  /**
   * every problem of the failed attempt, in the order found (all of a case's errors,
   * each check's list expanded); absent in streams written before problems existed
   */
  problems?: Problem[];
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
  /** ms; the measurement is a time in ms when it has a budget */
  budgetMs?: number;
  /** judged once, by harness/results/budget.ts */
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
  plan: {
    suites: string[];
    files: string[];
    grep?: string;
    shard?: { index: number; total: number };
    /** absent in streams written before repeats existed: one attempt, no quarantine */
    policy?: RunPolicy;
  };
}
export interface CaseStartEvent extends Base {
  type: 'case-start';
  case: CaseRef;
  /** 1-based; absent means 1 */
  attempt?: number;
}
export interface CaseEndEvent extends Base {
  type: 'case-end';
  case: CaseRef;
  /** 1-based; absent means 1. Every attempt of a case gets its own case-end. */
  attempt?: number;
  /** this attempt re-ran the case because an earlier attempt failed (not a planned repeat) */
  retry?: boolean;
  status: CaseStatus;
  durationMs: number;
  error?: CaseError;
  evidence: EvidenceRef[];
  /** reported, not failing: choices the contract leaves open, checks left out (absent: none) */
  notes?: string[];
  /** why a skipped case was not judged (`skip(reason)`: inputs not configured, target did not boot, …) */
  skipReason?: string;
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
