// What the history says: flake rate per case, measurement trends per target
// profile, and regressions of the last run against a baseline window. Pure
// functions over rows read from either back end; output is sorted so SQLite and
// PostgreSQL give byte-identical JSON.
import { median, percentile } from '../results/stats.ts';
import { permutationPValue } from './permutation.ts';
import type { CaseRow, MeasurementRow, RunRow } from './store.ts';

export interface FlakeRate {
  caseId: string;
  /** runs in the window in which the case ran (not skipped) */
  runs: number;
  /** runs in which some attempt failed on the product */
  failedRuns: number;
  /** runs in which the case both passed and failed */
  flakyRuns: number;
  /** attempts judged on the product (passed + failed; infrastructure errors say nothing) */
  attempts: number;
  /**
   * failed / judged attempts when the case also passed in the window, so repeats in one
   * run and separate runs count alike; 0 when it never passed (broken, not flaky)
   */
  flakeRate: number;
  flaky: boolean;
}

export interface TrendPoint {
  runId: string;
  startedAt: string;
  median: number;
  p95: number;
  n: number;
}
export interface Trend {
  profile: string;
  name: string;
  unit: string;
  points: TrendPoint[];
}

export interface Regression {
  profile: string;
  name: string;
  unit: string;
  runId: string;
  baselineRuns: number;
  baselineMedian: number;
  lastMedian: number;
  /** relative change of the medians, e.g. 0.1 = 10 % slower */
  change: number;
  pValue: number;
  regressed: boolean;
}

export interface RegressionOptions {
  /** how many earlier runs form the baseline (default 10) */
  baselineRuns?: number;
  /** changes smaller than this share of the baseline median are noise (default 0.05) */
  noiseFloor?: number;
  /** significance level of the permutation test (default 0.01) */
  alpha?: number;
  seed?: number;
}

export function flakeRates(cases: readonly CaseRow[]): FlakeRate[] {
  const byCase = new Map<string, CaseRow[]>();
  for (const c of cases)
    if (c.status !== 'skipped') byCase.set(c.case_id, [...(byCase.get(c.case_id) ?? []), c]);
  const out: FlakeRate[] = [];
  for (const [caseId, rows] of byCase) {
    const failedRuns = rows.filter((r) => Number(r.failed_attempts) > 0).length;
    const flakyRuns = rows.filter((r) => Number(r.flaky) === 1).length;
    const passed = rows.reduce((t, r) => t + Number(r.passed_attempts), 0);
    const failed = rows.reduce((t, r) => t + Number(r.failed_attempts), 0);
    const flakeRate = passed > 0 && failed > 0 ? failed / (passed + failed) : 0;
    out.push({
      caseId,
      runs: rows.length,
      attempts: passed + failed,
      failedRuns,
      flakyRuns,
      flakeRate,
      flaky: flakeRate > 0,
    });
  }
  return out.sort((a, b) => b.flakeRate - a.flakeRate || cmp(a.caseId, b.caseId));
}

interface Series {
  profile: string;
  name: string;
  unit: string;
  /** oldest first */
  runs: Array<{ run: RunRow; samples: number[] }>;
}

function series(runs: readonly RunRow[], ms: readonly MeasurementRow[]): Series[] {
  const runById = new Map(runs.map((r) => [r.run_id, r]));
  const map = new Map<string, Series>();
  const oldestFirst = [...runs].sort((a, b) => cmp(a.started_at, b.started_at) || cmp(a.run_id, b.run_id));
  const order = new Map(oldestFirst.map((r, i) => [r.run_id, i]));
  for (const m of [...ms].sort((a, b) => order.get(a.run_id)! - order.get(b.run_id)! || a.seq - b.seq)) {
    const run = runById.get(m.run_id);
    if (!run) continue;
    const key = `${run.profile}\u0000${m.name}`;
    let s = map.get(key);
    if (!s) map.set(key, (s = { profile: run.profile, name: m.name, unit: m.unit, runs: [] }));
    const samples = JSON.parse(m.samples) as number[];
    const last = s.runs.at(-1);
    // several measurements of one name in one run are pooled
    if (last?.run.run_id === run.run_id) last.samples.push(...samples);
    else s.runs.push({ run, samples: [...samples] });
  }
  return [...map.values()].sort((a, b) => cmp(a.profile, b.profile) || cmp(a.name, b.name));
}

export function trends(runs: readonly RunRow[], ms: readonly MeasurementRow[]): Trend[] {
  return series(runs, ms).map((s) => ({
    profile: s.profile,
    name: s.name,
    unit: s.unit,
    points: s.runs.map(({ run, samples }) => ({
      runId: run.run_id,
      startedAt: run.started_at,
      median: median(samples),
      p95: percentile(samples, 95),
      n: samples.length,
    })),
  }));
}

/** The newest run of each series against the runs before it. Durations: larger is worse. */
export function regressions(
  runs: readonly RunRow[],
  ms: readonly MeasurementRow[],
  opts: RegressionOptions = {},
): Regression[] {
  const baselineRuns = opts.baselineRuns ?? 10;
  const noiseFloor = opts.noiseFloor ?? 0.05;
  const alpha = opts.alpha ?? 0.01;
  const out: Regression[] = [];
  for (const s of series(runs, ms)) {
    if (s.runs.length < 2) continue;
    const last = s.runs.at(-1)!;
    const base = s.runs.slice(-1 - baselineRuns, -1);
    const baseline = base.flatMap((b) => b.samples);
    if (baseline.length === 0 || last.samples.length === 0) continue;
    const baselineMedian = median(baseline);
    const lastMedian = median(last.samples);
    const change = baselineMedian === 0 ? 0 : (lastMedian - baselineMedian) / Math.abs(baselineMedian);
    const pValue = permutationPValue(baseline, last.samples, { seed: opts.seed });
    out.push({
      profile: s.profile,
      name: s.name,
      unit: s.unit,
      runId: last.run.run_id,
      baselineRuns: base.length,
      baselineMedian,
      lastMedian,
      change,
      pValue,
      regressed: pValue < alpha && change > noiseFloor,
    });
  }
  return out;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
