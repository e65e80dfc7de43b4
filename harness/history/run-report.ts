// The run report the reporters get and results.json holds: the run's results
// (harness/results/, folded from its events and never changed after) composed
// with what the history store says about them (trends, cases ready to leave
// quarantine). Built once, after the run is recorded; results import nothing of
// the history, so the history can read results without a cycle.
import type { RunResults } from '../results/model.ts';
import type { HistoryReport } from './report.ts';

export interface ReadyToRelease {
  caseId: string;
  pattern: string;
  /** consecutive recorded runs, newest first, in which the case passed */
  passedRuns: number;
}

/** what the history adds to a run (nothing when no store was used or it could not be reached) */
export interface HistoryFindings {
  /** trends from the history store, when the run recorded one (drawn by the HTML report) */
  history?: HistoryReport;
  /** quarantined cases that passed enough recorded runs in a row to leave quarantine */
  readyToRelease: ReadyToRelease[];
}

export interface RunReport extends Omit<RunResults, 'quarantine'> {
  /** quarantine entries that expired (each fails the run) and cases ready to leave quarantine */
  quarantine?: NonNullable<RunResults['quarantine']> & { readyToRelease?: ReadyToRelease[] };
  history?: HistoryReport;
}

export const NO_HISTORY: HistoryFindings = { readyToRelease: [] };

/** results + history as one report; `results` is left as it is */
export function composeRunReport(results: RunResults, found: HistoryFindings = NO_HISTORY): RunReport {
  const { quarantine, ...rest } = results;
  return {
    ...rest,
    ...(quarantine ? { quarantine: { ...quarantine, readyToRelease: [...found.readyToRelease] } } : {}),
    ...(found.history ? { history: found.history } : {}),
  };
}
