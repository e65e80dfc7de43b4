// The defect matrix's runs: the registered defects packed into as few CLI runs as
// their declarations allow (reference/defect-spec.ts: one case per defect in a run,
// `exclusive` alone in its area, one defect per `knob`). A run carries one area, so
// it costs what one suite run costs; only the number of runs per area shrinks.
import { defectConflict, type DefectSpec } from '../../reference/defect-spec.ts';

/** First fit, in registry order: each defect joins the first run of its area it does not conflict with. */
export function defectRuns(specs: readonly DefectSpec[]): DefectSpec[][] {
  const runs: DefectSpec[][] = [];
  for (const spec of specs) {
    const fit = runs.find((run) => run[0]!.suite === spec.suite && !defectConflict([...run, spec]));
    if (fit) fit.push(spec);
    else runs.push([spec]);
  }
  return runs;
}
