// The history report: what `cohesix-qa history` prints and what the HTML report
// draws. Read from the store in a few bounded queries (the last N runs only).
import type { HistoryStore } from './store.ts';
import {
  flakeRates,
  regressions,
  trends,
  type FlakeRate,
  type Regression,
  type RegressionOptions,
  type Trend,
} from './analysis.ts';

export interface HistoryReport {
  /** runs looked at, newest first */
  runs: Array<{ runId: string; startedAt: string; status: string; profile: string }>;
  flakeRates: FlakeRate[];
  trends: Trend[];
  regressions: Regression[];
}

export async function historyReport(
  store: HistoryStore,
  opts: RegressionOptions & { last?: number } = {},
): Promise<HistoryReport> {
  const runs = await store.recentRuns(opts.last ?? 20);
  const ids = runs.map((r) => r.run_id);
  const [cases, ms] = await Promise.all([store.cases(ids), store.measurements(ids)]);
  return {
    runs: runs.map((r) => ({
      runId: r.run_id,
      startedAt: r.started_at,
      status: r.status,
      profile: r.profile,
    })),
    flakeRates: flakeRates(cases),
    trends: trends(runs, ms),
    regressions: regressions(runs, ms, opts),
  };
}
