// Cold boot against the budget: N cold boots (default 5), the configured
// statistic (default median) of host ms from QMP cont to the boot stage.
import { describe, expect, test } from '../../harness/fixtures.ts';

describe('boot: cold boot', () => {
  test('reaches the boot stage within budget over N cold boots', async ({ boot, measure, evidence }) => {
    const report = await boot.coldBoots();
    measure.record({
      name: `cold boot to ${report.bootStage}`,
      unit: 'ms',
      samples: report.runs.filter((r) => r.bootMs !== undefined).map((r) => r.bootMs!),
      statistic: report.statistic,
      budget: report.budgetMs,
      detail: report,
      schema: 'boot-report',
    });
    evidence.attach('boot-report.json', JSON.stringify(report, null, 2), 'application/json');
    const failed = report.runs.find((r) => r.error);
    expect(failed?.error, `a cold boot did not reach "${report.bootStage}"`).toBeUndefined();
    expect(report.allReached).toBe(true);
    const s = report.stats!;
    expect(
      report.judgedMs,
      `${report.statistic} cold boot ${report.judgedMs} ms (min ${s.min}, median ${s.median}, p95 ${s.p95} over ${s.n}) against the ${report.budgetMs} ms budget`,
    ).toBeLessThanOrEqual(report.budgetMs);
  });
});
