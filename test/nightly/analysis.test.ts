// The history's verdicts on seeded data: flaky cases, boot-time regressions, noise.
import { describe, expect, it } from 'vitest';
import { flakeRates, regressions } from '../../harness/history/analysis.ts';
import { permutationPValue } from '../../harness/history/permutation.ts';
import type { CaseRow, MeasurementRow, RunRow } from '../../harness/history/store.ts';
import type { RunResults } from '../../harness/results/model.ts';
import { bootSamples, seededHistory } from './helpers/synth.ts';

/** The rows a store would hand back for these runs (the store itself is tested elsewhere). */
function rows(history: RunResults[]): { runs: RunRow[]; cases: CaseRow[]; ms: MeasurementRow[] } {
  const runs: RunRow[] = [];
  const cases: CaseRow[] = [];
  const ms: MeasurementRow[] = [];
  for (const r of history) {
    const id = r.runs[0]!.runId;
    runs.push({
      run_id: id,
      started_at: r.runs[0]!.startedAt,
      status: r.summary.status,
      profile: 'reference',
      target_name: 'reference',
    });
    for (const c of r.cases) {
      const at = c.attempts ?? [{ status: c.status }];
      cases.push({
        run_id: id,
        case_id: c.id,
        file: c.file,
        status: c.status,
        duration_ms: c.durationMs,
        attempts: at.length,
        passed_attempts: at.filter((a) => a.status === 'passed').length,
        failed_attempts: at.filter((a) => a.status === 'failed').length,
        flaky: c.flaky ? 1 : 0,
      });
    }
    r.measurements.forEach((m, seq) =>
      ms.push({ run_id: id, seq, name: m.name, unit: m.unit, samples: JSON.stringify(m.samples) }),
    );
  }
  return { runs, cases, ms };
}

describe('flake rate', () => {
  it('flags a case failing one run in five, not a steady or an always-failing one', () => {
    const { cases } = rows(seededHistory(20, 1000));
    const rates = new Map(flakeRates(cases).map((f) => [f.caseId.split('::').at(-1), f]));
    expect(rates.get('fails one run in five')).toMatchObject({
      flaky: true,
      flakeRate: 0.2,
      failedRuns: 4,
      runs: 20,
    });
    expect(rates.get('steady')).toMatchObject({ flaky: false, flakeRate: 0 });
    // always failing is broken, not flaky
    expect(rates.get('broken')).toMatchObject({ flaky: false, flakeRate: 0, failedRuns: 20 });
  });
});

describe('regression detection', () => {
  const verdict = (lastBoot: number) => {
    const { runs, ms } = rows(seededHistory(11, lastBoot));
    const [r] = regressions(runs, ms, { baselineRuns: 10 });
    return r!;
  };

  it('flags a 10 % boot-time regression over 20 samples', () => {
    const r = verdict(1100);
    expect(r.regressed).toBe(true);
    expect(r.pValue).toBeLessThan(0.01);
    expect(r.change).toBeGreaterThan(0.08);
    expect(r.baselineRuns).toBe(10);
  });

  it('does not flag a 2 % wobble (below the 5 % noise floor), nor an unchanged run', () => {
    const wobble = verdict(1020);
    expect(wobble.change).toBeGreaterThan(0.01);
    expect(wobble.regressed).toBe(false);
    expect(verdict(1000).regressed).toBe(false);
  });

  it('a faster boot is not a regression', () => {
    expect(verdict(900).regressed).toBe(false);
  });

  it('the permutation test is seeded: same input, same p', () => {
    const a = bootSamples(1000, 20, 1);
    const b = bootSamples(1030, 20, 2);
    expect(permutationPValue(a, b)).toBe(permutationPValue(a, b));
    expect(permutationPValue(a, b)).toBeLessThan(0.05);
    expect(permutationPValue(b, a)).toBeGreaterThan(0.9);
  });
});
