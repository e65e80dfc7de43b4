// The defect matrix's runs: the registered defects packed into as few CLI runs as
// their declarations allow (reference/defect-spec.ts: one case per defect in a run,
// `exclusive` alone in its area, one defect per `knob`).
//
// A CLI run's files run one after another (one vitest worker on 2 cores), so a run
// holding two slow suites lasts as long as both. Only the quick suites ride along with
// another area's run: their cases take under 2 s (measured: governance 0.1 s, boot
// 0.5 s, secure9p 1.6 s of case time), while a run of their own costs a CLI start,
// a vitest start and a service start (~7 CPU-s).
import { defectConflict, type DefectSpec } from '../../reference/defect-spec.ts';

export const RIDER_SUITES: readonly string[] = ['governance', 'boot', 'secure9p'];

/** A run of the matrix: its suites, in run order, and the defects in force. */
export interface DefectRun {
  suites: string[];
  defects: DefectSpec[];
}

/** First fit, in registry order: each defect joins the first run of its area it does not conflict with. */
export function areaRuns(specs: readonly DefectSpec[]): DefectSpec[][] {
  const runs: DefectSpec[][] = [];
  for (const spec of specs) {
    const fit = runs.find((run) => run[0]!.suite === spec.suite && !defectConflict([...run, spec]));
    if (fit) fit.push(spec);
    else runs.push([spec]);
  }
  return runs;
}

/** The area runs, each quick one (RIDER_SUITES) riding along with a slow one, one rider per run. */
export function defectRuns(specs: readonly DefectSpec[]): DefectRun[] {
  const byArea = areaRuns(specs);
  const quick = (run: DefectSpec[]) => RIDER_SUITES.includes(run[0]!.suite);
  const runs: DefectRun[] = byArea
    .filter((r) => !quick(r))
    .map((r) => ({ suites: [r[0]!.suite], defects: r }));
  for (const [i, rider] of byArea.filter(quick).entries()) {
    const host = runs[i];
    if (host) {
      host.suites.push(rider[0]!.suite);
      host.defects.push(...rider);
    } else runs.push({ suites: [rider[0]!.suite], defects: rider });
  }
  return runs;
}
