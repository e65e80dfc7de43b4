// The run history: every recorded run with its provenance, cases (attempt counts,
// flaky and quarantine marks, durations) and measurements. One run is written in
// one transaction, so a run killed while recording leaves the store as it was.
import type { RunResults } from '../results/model.ts';
import { openDb, type Db } from './db.ts';
import { migrate } from './migrations.ts';

export interface RunRow {
  run_id: string;
  started_at: string;
  status: string;
  profile: string;
  target_name: string;
}
export interface CaseRow {
  run_id: string;
  case_id: string;
  file: string;
  status: string;
  duration_ms: number;
  attempts: number;
  passed_attempts: number;
  failed_attempts: number;
  flaky: number;
}
export interface MeasurementRow {
  run_id: string;
  seq: number;
  name: string;
  unit: string;
  samples: string;
}

export interface HistoryStore {
  readonly db: Db;
  record(results: RunResults, hooks?: { beforeCommit?: () => Promise<void> }): Promise<string>;
  /** the newest `limit` completed runs, newest first */
  recentRuns(limit: number): Promise<RunRow[]>;
  cases(runIds: readonly string[]): Promise<CaseRow[]>;
  measurements(runIds: readonly string[]): Promise<MeasurementRow[]>;
  /** the case's statuses in the newest `limit` runs it appeared in, newest first */
  caseStreak(caseId: string, limit: number): Promise<Array<{ status: string; flaky: number }>>;
  close(): Promise<void>;
}

export async function openHistory(spec: string, cwd: string): Promise<HistoryStore> {
  const db = await openDb(spec, cwd);
  try {
    await migrate(db);
  } catch (e) {
    await db.close().catch(() => {});
    throw e;
  }
  return storeOn(db);
}

/** Runs are listed newest first by start time; the run id breaks ties so both back ends agree. */
const RECENT = `SELECT run_id, started_at, status, profile, target_name FROM runs
  WHERE status <> 'interrupted' ORDER BY started_at DESC, run_id DESC LIMIT ?`;

function storeOn(db: Db): HistoryStore {
  const inList = (ids: readonly string[]) => ids.map(() => '?').join(', ');
  return {
    db,
    async record(results, hooks) {
      const first = results.runs[0];
      if (!first) throw new Error('history: results without a run-start cannot be recorded');
      const p = first.provenance;
      // a merge of several shards or runs is one recorded run, distinct from each part
      const runId = results.runs.map((r) => r.runId).join('+');
      await db.tx(async () => {
        await db.run(
          `INSERT INTO runs (run_id, started_at, ended_at, duration_ms, status, target_kind, target_name,
            profile, git_commit, defect, shard, provenance, summary, recorded_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          [
            runId,
            first.startedAt,
            results.runs.at(-1)?.endedAt ?? null,
            results.runs.reduce((t, r) => t + (r.durationMs ?? 0), 0),
            results.summary.status,
            p.targetKind,
            p.targetName,
            profileOf(p),
            p.gitCommit ?? null,
            p.defect ?? null,
            first.shard ? `${first.shard.index}/${first.shard.total}` : null,
            JSON.stringify(p),
            JSON.stringify(results.summary),
            new Date().toISOString(),
          ],
        );
        for (const c of results.cases) {
          const atts = c.attempts ?? [{ status: c.status, durationMs: c.durationMs }];
          const n = (s: string) => atts.filter((a) => a.status === s).length;
          await db.run(
            `INSERT INTO cases (run_id, case_id, suite, file, status, duration_ms, attempts, passed_attempts,
              failed_attempts, infra_attempts, flaky, quarantined, started_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
            [
              runId,
              c.id,
              c.suite,
              c.file,
              c.status,
              c.durationMs,
              atts.length,
              n('passed'),
              n('failed'),
              n('infra-error'),
              c.flaky ? 1 : 0,
              c.quarantine ? 1 : 0,
              first.startedAt,
            ],
          );
        }
        let seq = 0;
        for (const m of results.measurements) {
          // no samples (every boot of the measurement failed): nothing to trend; the case's
          // failure is recorded above
          if (m.samples.length === 0 || !Number.isFinite(m.median)) continue;
          await db.run(
            `INSERT INTO measurements (run_id, seq, case_id, name, unit, statistic, samples, median, p95, budget)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
            [
              runId,
              seq++,
              m.caseId,
              m.name,
              m.unit,
              m.statistic,
              JSON.stringify(m.samples),
              m.median,
              m.p95,
              m.budgetMs ?? null,
            ],
          );
        }
        await hooks?.beforeCommit?.();
      });
      return runId;
    },
    async recentRuns(limit) {
      return db.all<RunRow>(RECENT, [limit]);
    },
    async cases(runIds) {
      if (runIds.length === 0) return [];
      return db.all<CaseRow>(
        `SELECT run_id, case_id, file, status, duration_ms, attempts, passed_attempts, failed_attempts, flaky
         FROM cases WHERE run_id IN (${inList(runIds)}) ORDER BY case_id, run_id`,
        runIds,
      );
    },
    async measurements(runIds) {
      if (runIds.length === 0) return [];
      return db.all<MeasurementRow>(
        `SELECT run_id, seq, name, unit, samples FROM measurements WHERE run_id IN (${inList(runIds)})
         ORDER BY run_id, seq`,
        runIds,
      );
    },
    async caseStreak(caseId, limit) {
      return db.all<{ status: string; flaky: number }>(
        // interrupted runs are never recorded, so the case rows alone answer this (index cases_case_started)
        `SELECT status, flaky FROM cases WHERE case_id = ? ORDER BY started_at DESC, run_id DESC LIMIT ?`,
        [caseId, limit],
      );
    },
    close: () => db.close(),
  };
}

/** The target profile a trend is grouped by: an explicit `profile` fact, else the target's name. */
export function profileOf(p: Record<string, string | undefined>): string {
  return p.profile ?? p.targetProfile ?? p.targetName ?? 'unknown';
}
