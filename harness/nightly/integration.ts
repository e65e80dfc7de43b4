// Where repeats, quarantine and history meet a run: option parsing, the
// duration-weighted shard plan, and after the run: record it in the history,
// find quarantined cases ready to release, and attach trends for the HTML report.
import { UsageError } from '../errors.ts';
import type { RunResults } from '../results/model.ts';
import { shardFiles, type Shard } from '../run/plan.ts';
import { DEFAULT_HISTORY_PATH } from '../history/db.ts';
import { openHistory, type HistoryStore } from '../history/store.ts';
import { historyReport } from '../history/report.ts';
import { NO_HISTORY, type HistoryFindings, type ReadyToRelease } from '../history/run-report.ts';
import { balanceByDuration } from './shard-by-duration.ts';

export function parseCount(
  flag: string,
  value: number | string | undefined,
  fallback: number,
  min: number,
): number {
  if (value === undefined) return fallback;
  const n = typeof value === 'number' ? value : /^\d+$/.test(value.trim()) ? Number(value) : NaN;
  if (!Number.isInteger(n) || n < min)
    throw new UsageError(`${flag} ${String(value)}: expected a whole number >= ${min}`);
  return n;
}

export function historyEnabled(spec: string | undefined): spec is string | undefined {
  return spec !== 'off';
}

async function withStore<T>(
  spec: string | undefined,
  cwd: string,
  fn: (s: HistoryStore) => Promise<T>,
): Promise<T> {
  const store = await openHistory(spec ?? DEFAULT_HISTORY_PATH, cwd);
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

/** Mean duration per attempt of each file over its recent runs, from the history. */
export async function fileDurations(store: HistoryStore, lastRuns = 10): Promise<Map<string, number>> {
  const runs = await store.recentRuns(lastRuns);
  const rows = await store.cases(runs.map((r) => r.run_id));
  const perRun = new Map<string, Map<string, number>>();
  for (const r of rows) {
    const files = perRun.get(r.file) ?? new Map<string, number>();
    files.set(r.run_id, (files.get(r.run_id) ?? 0) + Number(r.duration_ms) / Math.max(1, Number(r.attempts)));
    perRun.set(r.file, files);
  }
  const out = new Map<string, number>();
  for (const [file, runsOf] of perRun) {
    const v = [...runsOf.values()];
    out.set(file, v.reduce((s, x) => s + x, 0) / v.length);
  }
  return out;
}

export async function planShard(
  files: string[],
  shard: Shard,
  shardBy: string | undefined,
  historySpec: string | undefined,
  cwd: string,
): Promise<string[]> {
  const by = shardBy ?? 'count';
  if (by !== 'count' && by !== 'duration')
    throw new UsageError(`--shard-by ${by}: expected count or duration`);
  if (by === 'count') return shardFiles(files, shard);
  if (!historyEnabled(historySpec))
    throw new UsageError(
      '--shard-by duration needs the history\n  fix: drop --history off, or use --shard-by count',
    );
  const durations = await withStore(historySpec, cwd, (s) => fileDurations(s));
  return balanceByDuration(files, shard.total, durations)[shard.index - 1]!;
}

export interface AfterRunOptions {
  historySpec: string | undefined;
  cwd: string;
  releaseAfter: number;
  write: (t: string) => void;
}

/**
 * Record the run and read back what the reports need (composed with the results by
 * harness/history/run-report.ts; the results themselves are not changed). The history is a record of
 * runs, not part of the verdict: if the store cannot be reached the run's status
 * stands and the reason is printed loudly.
 */
export async function afterRun(results: RunResults, o: AfterRunOptions): Promise<HistoryFindings> {
  if (!historyEnabled(o.historySpec)) return NO_HISTORY;
  const interrupted = results.summary.status === 'interrupted';
  try {
    return await withStore(o.historySpec, o.cwd, async (store) => {
      // an interrupted run has incomplete cases: recording it would skew flake rates and durations
      if (!interrupted) await store.record(results);
      const readyToRelease: ReadyToRelease[] = [];
      for (const c of results.quarantine ? results.cases : []) {
        if (!c.quarantine) continue;
        const streak = await store.caseStreak(c.id, o.releaseAfter);
        const passedRuns = streak.findIndex((s) => s.status !== 'passed' || Number(s.flaky) === 1);
        const n = passedRuns === -1 ? streak.length : passedRuns;
        if (n >= o.releaseAfter)
          readyToRelease.push({ caseId: c.id, pattern: c.quarantine.pattern, passedRuns: n });
      }
      return { readyToRelease, history: await historyReport(store, { last: 20 }) };
    });
  } catch (e) {
    o.write(`[error] history not recorded: ${(e as Error).message}\n`);
    return NO_HISTORY;
  }
}
